"""Auth functions of ckanext-hamm, one per action, same names; one module per area."""
from __future__ import annotations

from . import datarequest as _datarequest
from . import dataset as _dataset
from . import dcat as _dcat
from . import inventar_sheet as _inventar_sheet
from . import inventory as _inventory
from . import links as _links
from . import quality as _quality
from . import report as _report
from . import usage as _usage
from . import visibility as _visibility
from . import vocabulary as _vocabulary
from .datarequest import *  # noqa: F403
from .dataset import *  # noqa: F403
from .dcat import *  # noqa: F403
from .inventar_sheet import *  # noqa: F403
from .inventory import *  # noqa: F403
from .links import *  # noqa: F403
from .quality import *  # noqa: F403
from .report import *  # noqa: F403
from .usage import *  # noqa: F403
from .visibility import *  # noqa: F403
from .vocabulary import *  # noqa: F403

__all__: list[str] = []
__all__ += _inventory.__all__
__all__ += _vocabulary.__all__
__all__ += _datarequest.__all__
__all__ += _report.__all__
__all__ += _quality.__all__
__all__ += _dcat.__all__
__all__ += _dataset.__all__
__all__ += _inventar_sheet.__all__
__all__ += _visibility.__all__
__all__ += _usage.__all__
__all__ += _links.__all__


def auth_functions() -> dict[str, object]:
    """What the ``hamm`` plugin registers: the names above plus chains on loaded ckanext auth functions."""
    return {**{name: globals()[name] for name in __all__}, **_visibility.loaded_auth_functions()}
