"""llama.cpp's OpenAI-compatible server (`llama-cpp-python[server]`), started with the
embedded model's own loading rule (`local.without_extra_buffers`), so that it does not
crash on CPUs with AMX:

    python -m arena.llm.llama_server --model model.gguf --host 127.0.0.1 --port 8080 \\
        --interrupt_requests False

Every option is llama_cpp.server's own."""

from __future__ import annotations

import runpy

from arena.llm.local import without_extra_buffers

if __name__ == "__main__":
    without_extra_buffers()
    runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
