"""How promptly the interpreter hands the GIL between threads while background work runs.

Kept apart from `sync` (which imports pycrdt) so that a screen's change saved in a worker
(tui.store.apart_rounds.off_loop) can ask for the same promptness without importing the merge.
"""

from __future__ import annotations

import sys
import threading
from contextlib import contextmanager
from typing import Iterator

#: While a merge runs off the main thread, the interpreter hands the GIL on this often (seconds;
#: Python's default is 5 ms). The merge's own Python work (reading what changed, writing in what
#: came in) then keeps the screen's thread waiting about a millisecond at a time, not five: on a
#: busy computer that was the difference between 13-25 ms pauses and none over 12 (bench_sync).
#: A change saved in a worker for a screen asks for the same while it runs.
PROMPT_SWITCH = 0.001
_switching = threading.Lock()
_switch_depth = [0, 0.005]  # work under way that asked, and the interval to go back to


@contextmanager
def prompt_switching() -> Iterator[None]:
    """While the block runs (in any thread), the GIL is handed on every PROMPT_SWITCH seconds;
    the interval before is set back once the last such block ends."""
    with _switching:
        if _switch_depth[0] == 0:
            _switch_depth[1] = sys.getswitchinterval()
            sys.setswitchinterval(min(PROMPT_SWITCH, _switch_depth[1]))
        _switch_depth[0] += 1
    try:
        yield
    finally:
        with _switching:
            _switch_depth[0] -= 1
            if _switch_depth[0] == 0:
                sys.setswitchinterval(_switch_depth[1])
