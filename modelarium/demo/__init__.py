"""A faithful simulated Ollama server for tests, demos and benchmarks.

`DemoServer` (asyncio) and `DemoServerThread` (background thread) serve Ollama's management API
from a `DemoState` (`seeded_state()` gives one with realistic Llama, Mistral, Qwen and Granite
models); `FaultPlan` injects delays, errors, dropped connections, cut streams and hangs.
"""

from modelarium.demo.faults import FaultKind, FaultPlan, FaultRule
from modelarium.demo.seed import seeded_state
from modelarium.demo.server import DemoServer, DemoServerThread
from modelarium.demo.state import DemoState

__all__ = [
    "DemoServer",
    "DemoServerThread",
    "DemoState",
    "FaultKind",
    "FaultPlan",
    "FaultRule",
    "seeded_state",
]
