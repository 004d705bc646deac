"""How the service runs: worker processes, their analysis processes, jobs, balancing, shutdown.

``runtime.Runtime`` owns a worker's analysis process (``analysis_process``); ``jobs`` is what travels
to it; ``supervisor`` and ``balance`` start several workers on one socket; ``tcp`` and ``shutdown``
adapt uvicorn (TCP_NODELAY, readiness during drain); ``heap`` keeps the allocator and collector tame.
"""
