"""Every area's models, imported together so Alembic sees the whole schema."""

from ansinh.db.base import Base
from ansinh.org import models as org_models
from ansinh.registry import models as registry_models

__all__ = ["Base", "org_models", "registry_models"]
