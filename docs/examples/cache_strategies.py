#!/usr/bin/env python3
"""The seed's prompt-caching benchmark (cache-strategy-bench.py), pointed at tracegate.

Same system prompt, tools and caching strategies (none, single-last, last-3, sliding-4) as the seed, the same
Anthropic Messages calls and the same agent loop (one conversation per strategy run, growing question after
question, tool calls answered until the model stops calling tools). Two differences: tools are not executed
(the answers are canned, a read_file result is a ~700-token file, so the prompt grows as in a coding session),
and the script does no accounting at all: each call goes to the gateway under the rollout prefix
/rollout/<run>-<strategy>-<question>/attempt/1 with the header
`x-tracegate-tags: strategy=<strategy>,question=<question>`, and `tracegate report` does the rest.

    python3 docs/examples/cache_strategies.py --base-url http://127.0.0.1:4000 [--strategy S ...]
        [--run NAME] [--model claude-sonnet-4-6] [--add-tool-at QUESTION]

--add-tool-at q3 adds a fifth tool between the two calls of question q3, for the rest of the run (as when an
MCP server connects mid-session), which breaks the prompt cache: `tracegate report --rollout <run>-<strategy>-q3 --cache-breaks`
shows where. Standard library only.
"""
import argparse
import json
import sys
import urllib.error
import urllib.request

SYSTEM_PROMPT = (
    "You are a precise coding assistant operating inside a sandbox project "
    "directory. Use the provided tools to complete each task exactly as "
    "specified. Always act via tools - never claim to have done something "
    "without doing it. Keep final answers short."
)
TOOLS = [
    {"name": "bash", "description": "Run a bash command in the project directory. Returns stdout+stderr.",
     "input_schema": {"type": "object", "properties": {"command": {"type": "string"}}, "required": ["command"]}},
    {"name": "read_file", "description": "Read a file. Path is relative to the project directory.",
     "input_schema": {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}},
    {"name": "write_file",
     "description": "Create or overwrite a file. Path relative to project dir. Creates parent dirs.",
     "input_schema": {"type": "object", "properties": {"path": {"type": "string"}, "content": {"type": "string"}},
                      "required": ["path", "content"]}},
    {"name": "edit_file", "description": "Replace an exact string in a file (must match exactly once).",
     "input_schema": {"type": "object", "properties": {"path": {"type": "string"}, "old_string": {"type": "string"},
                                                       "new_string": {"type": "string"}},
                      "required": ["path", "old_string", "new_string"]}},
]
EXTRA_TOOL = {"name": "grep", "description": "Search files for a pattern.",
              "input_schema": {"type": "object", "properties": {"pattern": {"type": "string"}},
                               "required": ["pattern"]}}
QUESTIONS = [
    ("q1", "Read the file src/inventory.py and tell me what it does."),
    ("q2", "Run the tests with bash: python -m pytest -q"),
    ("q3", "Read the file src/orders.py and check the total."),
    ("q4", "Read the file src/report.py and summarise it."),
]


def canned_file(path):
    """A deterministic Python file of about 700 tokens, different per path."""
    name = path.rsplit("/", 1)[-1].split(".")[0]
    lines = [f'"""{name}: part of the sandbox project."""', ""]
    for i in range(24):
        lines.append(f"def {name}_step_{i}(items, limit={i}):")
        lines.append(f"    return [item for item in items if item.weight > limit]  # step {i}")
    return "\n".join(lines)


def run_tool(name, tool_input):
    if name == "read_file":
        return canned_file(tool_input.get("path", "file.py"))
    if name == "bash":
        return "\n".join(f"tests/test_{i}.py ....  [{(i + 1) * 10}%]" for i in range(10)) + "\n40 passed in 0.31s"
    return f"done: {name}"


# ---- the seed's strategies, verbatim ---------------------------------------------------------------------
def _mark_last_block(msg):
    c = msg.get("content")
    if isinstance(c, str):
        msg["content"] = [{"type": "text", "text": c}]
    if isinstance(msg["content"], list) and msg["content"]:
        msg["content"][-1]["cache_control"] = {"type": "ephemeral"}


def strat_none(msgs):
    return


def strat_single_last(msgs):
    if msgs:
        _mark_last_block(msgs[-1])


def strat_last_3(msgs):
    for m in msgs[-3:]:
        _mark_last_block(m)


def strat_sliding_4(msgs):
    user_idx = [i for i, m in enumerate(msgs) if m["role"] == "user"]
    if not user_idx:
        return
    marks = user_idx[3::4]
    if user_idx[-1] not in marks:
        marks.append(user_idx[-1])
    for i in marks[-2:]:
        _mark_last_block(msgs[i])


STRATEGIES = {"none": strat_none, "single-last": strat_single_last, "last-3": strat_last_3,
              "sliding-4": strat_sliding_4}


def call_api(base_url, rollout, tags, model, messages, tools, strategy_fn):
    msgs = json.loads(json.dumps(messages))
    strategy_fn(msgs)
    tools = json.loads(json.dumps(tools))
    tools[-1]["cache_control"] = {"type": "ephemeral"}
    body = {"model": model, "max_tokens": 4096,
            "system": [{"type": "text", "text": SYSTEM_PROMPT, "cache_control": {"type": "ephemeral"}}],
            "tools": tools, "messages": msgs}
    req = urllib.request.Request(f"{base_url}/rollout/{rollout}/attempt/1/v1/messages",
                                 data=json.dumps(body).encode(),
                                 headers={"content-type": "application/json", "anthropic-version": "2023-06-01",
                                          "x-api-key": "unused-by-the-mock", "x-tracegate-tags": tags})
    try:
        with urllib.request.urlopen(req, timeout=60) as resp:
            return json.load(resp)
    except urllib.error.HTTPError as e:
        raise RuntimeError(f"HTTP {e.code}: {e.read().decode(errors='replace')[:200]}")
    except urllib.error.URLError as e:
        sys.exit(f"cannot reach the gateway at {base_url}: {e.reason}")


def run_strategy(args, strategy):
    messages = []  # one conversation per run, as in the seed
    tools = list(TOOLS)
    first = True
    for q, prompt in QUESTIONS:
        if first:
            prompt = f"(run {args.run}-{strategy}) {prompt}"  # strategies do not read each other's cache
            first = False
        rollout = f"{args.run}-{strategy}-{q}"
        tags = f"strategy={strategy},question={q}"
        messages.append({"role": "user", "content": prompt})
        calls = 0
        try:
            while True:
                if calls == 1 and q == args.add_tool_at:
                    tools = TOOLS + [EXTRA_TOOL]
                resp = call_api(args.base_url, rollout, tags, args.model, messages, tools, STRATEGIES[strategy])
                calls += 1
                content = resp.get("content", [])
                messages.append({"role": "assistant", "content": content})
                uses = [b for b in content if b.get("type") == "tool_use"]
                if not uses:
                    break
                messages.append({"role": "user", "content": [
                    {"type": "tool_result", "tool_use_id": u["id"], "content": run_tool(u["name"], u.get("input", {}))}
                    for u in uses]})
            print(f"{strategy:12} {q} calls={calls}")
        except RuntimeError as e:
            print(f"{strategy:12} {q} [ERROR] {e}")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--base-url", default="http://127.0.0.1:4000")
    ap.add_argument("--strategy", action="append", choices=list(STRATEGIES),
                    help="repeatable; default: all four")
    ap.add_argument("--run", default="bench", help="prefix of the rollout ids")
    ap.add_argument("--model", default="claude-sonnet-4-6")
    ap.add_argument("--add-tool-at", default=None, metavar="QUESTION")
    args = ap.parse_args()
    for strategy in args.strategy or list(STRATEGIES):
        run_strategy(args, strategy)


if __name__ == "__main__":
    sys.exit(main())
