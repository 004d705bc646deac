# syntax=docker/dockerfile:1
# Qawl service image: the two packages built from this source tree, the trained model inside.

ARG PYTHON_IMAGE=python:3.11-slim

# ---- build: wheels for the SDK, the service (model included) and every dependency ----------
FROM ${PYTHON_IMAGE} AS build
WORKDIR /src
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY sdk/ sdk/
# README.m[d]: the long description is copied when present; a glob, so its absence is not an error.
COPY pyproject.toml README.m[d] ./
COPY service/ service/
# Optional build secrets for networks that reach PyPI through a mirror or a TLS-intercepting proxy:
#   --secret id=pip.conf,src=<pip config: index-url, trusted-host, proxy...>
#   --secret id=ca.pem,src=<CA bundle pip should trust>
# Secrets are mounted for this step only: nothing of them is left in any layer or in the history.
RUN --mount=type=secret,id=pip.conf --mount=type=secret,id=ca.pem \
    set -eu; \
    if [ -s /run/secrets/pip.conf ]; then export PIP_CONFIG_FILE=/run/secrets/pip.conf; fi; \
    if [ -s /run/secrets/ca.pem ]; then export PIP_CERT=/run/secrets/ca.pem; fi; \
    python -m pip wheel --wheel-dir /wheels ./sdk .
# The virtualenv, offline from those wheels; then pip and setuptools leave it (uninstalled through
# their records, so no dangling scripts or .pth hooks) and the packages' own test suites go.
# Litestar requires polyfactory (and with it Faker, 25 MB) and rich requires Pygments, for test
# factories and colored CLI output the service never uses: they go too (the smoke test serves and
# analyzes without them). Bytecode compiled by pip stays: the user cannot write it at run time, and
# each worker would otherwise recompile every module on start (~2 s).
RUN python -m venv /opt/qawl \
 && /opt/qawl/bin/python -m pip install --no-index --find-links /wheels qawl qawl-service \
 && /opt/qawl/bin/python -m pip uninstall --yes polyfactory faker pygments \
 && /opt/qawl/bin/python -m pip uninstall --yes pip setuptools \
 && find /opt/qawl/lib -depth -type d -name tests -path '*/site-packages/*' -exec rm -rf {} +
# Every data file of the source package must be in the installed one (model, lexicon, cues...):
# a file left out of package-data in pyproject.toml fails the build here, not the service later.
RUN site=$(/opt/qawl/bin/python -c 'import pathlib, qawl_service; print(pathlib.Path(qawl_service.__file__).parent)') \
 && missing=$(cd service/qawl_service && find . -type f ! -name '*.py' ! -name '*.pyc' ! -path '*/__pycache__/*' \
      | while read -r f; do [ -e "$site/$f" ] || echo "${f#./}"; done) \
 && if [ -n "$missing" ]; then \
      echo "ERROR: not in the qawl-service wheel (add to [tool.setuptools.package-data]):" $missing >&2; exit 1; \
    fi

# ---- runtime: the virtualenv only, run as an unprivileged user -------------------------------
FROM ${PYTHON_IMAGE} AS runtime
ENV PATH=/opt/qawl/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    QAWL_HOST=0.0.0.0 \
    QAWL_PORT=8000 \
    QAWL_WORKERS=2
RUN useradd --system --uid 10001 --home-dir /nonexistent --shell /usr/sbin/nologin qawl
COPY --from=build /opt/qawl /opt/qawl
USER qawl
EXPOSE 8000
HEALTHCHECK --interval=15s --timeout=3s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('QAWL_PORT', '8000'), timeout=2)"]
# exec form: qawl-service (uvicorn) receives SIGTERM directly and drains in-flight requests.
# Run with an init as PID 1 where available (`docker run --init`, `podman run --init`).
CMD ["qawl-service", "serve"]
