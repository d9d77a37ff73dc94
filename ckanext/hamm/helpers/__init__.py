"""Template helpers (``hamm_<verb>_<noun>``), one module per area, collected here."""
from __future__ import annotations

from . import datarequest as _datarequest
from . import dataset_page as _dataset_page
from . import formatting as _formatting
from . import geodata as _geodata
from . import inventory as _inventory
from . import navigation as _navigation
from . import portal as _portal
from . import reuse as _reuse
from . import schema_form as _schema_form
from . import search as _search
from . import staff as _staff
from . import text as _text
from . import vocabulary as _vocabulary
from .datarequest import *  # noqa: F403
from .dataset_page import *  # noqa: F403
from .formatting import *  # noqa: F403
from .geodata import *  # noqa: F403
from .inventory import *  # noqa: F403
from .navigation import *  # noqa: F403
from .portal import *  # noqa: F403
from .reuse import *  # noqa: F403
from .schema_form import *  # noqa: F403
from .search import *  # noqa: F403
from .staff import *  # noqa: F403
from .text import *  # noqa: F403
from .vocabulary import *  # noqa: F403

__all__: list[str] = []
__all__ += _inventory.__all__
__all__ += _vocabulary.__all__
__all__ += _portal.__all__
__all__ += _schema_form.__all__
__all__ += _datarequest.__all__
__all__ += _formatting.__all__
__all__ += _geodata.__all__
__all__ += _dataset_page.__all__
__all__ += _navigation.__all__
__all__ += _search.__all__
__all__ += _text.__all__
__all__ += _staff.__all__
__all__ += _reuse.__all__
