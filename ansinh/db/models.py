"""Every area's models, imported together so Alembic sees the whole schema."""

from ansinh.accounts import models as accounts_models
from ansinh.audit import models as audit_models
from ansinh.collection import arrears_models, compliance_models, declaration_models, payment_models
from ansinh.collection import models as collection_models
from ansinh.db.base import Base
from ansinh.ledger import models as ledger_models
from ansinh.org import models as org_models
from ansinh.registry import models as registry_models
from ansinh.services import models as services_models

__all__ = [
           "Base",
           "accounts_models",
           "arrears_models",
           "audit_models",
           "collection_models",
           "compliance_models",
           "declaration_models",
           "ledger_models",
           "org_models",
           "payment_models",
           "registry_models",
           "services_models",
]
