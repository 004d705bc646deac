"""Python client for Qawl, an Arabic NLP service.

>>> import qawl
>>> with qawl.Client() as client:
...     for entity in client.entities("زار الرئيس المصري عبد الفتاح السيسي باريس").entities:
...         print(entity.label, entity.name)
"""

from . import types
from ._batching import DocumentInput, ProgressBar, ProgressCallback
from ._client import (
    DEFAULT_BASE_URL,
    DEFAULT_MAX_RETRIES,
    DEFAULT_TIMEOUT,
    NOT_GIVEN,
    AsyncClient,
    Client,
    NotGiven,
)
from ._exceptions import (
    APIConnectionError,
    APIResponseValidationError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    ConflictError,
    InternalServerError,
    NotFoundError,
    PayloadTooLargeError,
    PermissionDeniedError,
    QawlError,
    RateLimitError,
    ServiceUnavailableError,
    UnprocessableEntityError,
    UnsupportedMediaTypeError,
)
from ._version import __version__
from .types import (
    Analysis,
    BatchDocument,
    BatchItem,
    BatchResponse,
    EntitiesResponse,
    Entity,
    Health,
    Info,
    Mention,
    Problem,
    Quote,
    QuotesResponse,
    Speaker,
    Stance,
    StanceResponse,
    Target,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_MAX_RETRIES",
    "DEFAULT_TIMEOUT",
    "NOT_GIVEN",
    "APIConnectionError",
    "APIResponseValidationError",
    "APIStatusError",
    "APITimeoutError",
    "Analysis",
    "AsyncClient",
    "AuthenticationError",
    "BadRequestError",
    "BatchDocument",
    "BatchItem",
    "BatchResponse",
    "Client",
    "ConflictError",
    "DocumentInput",
    "EntitiesResponse",
    "Entity",
    "Health",
    "Info",
    "InternalServerError",
    "Mention",
    "NotFoundError",
    "NotGiven",
    "PayloadTooLargeError",
    "PermissionDeniedError",
    "Problem",
    "ProgressBar",
    "ProgressCallback",
    "QawlError",
    "Quote",
    "QuotesResponse",
    "RateLimitError",
    "ServiceUnavailableError",
    "Speaker",
    "Stance",
    "StanceResponse",
    "Target",
    "UnprocessableEntityError",
    "UnsupportedMediaTypeError",
    "__version__",
    "types",
]
