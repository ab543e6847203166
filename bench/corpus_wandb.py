"""The OpenAI SDK part of a corpus file: W&B (or plain OpenAI) clients and requests.

About two files in three are right; the others carry the mistakes lint-wb looks for: wrong or
missing base URLs, hard-coded keys, bad projects, unknown models, `temperature=3`, `top_k`,
malformed messages. A quarter of the files use OpenAI itself, which lint-wb must leave alone.
"""

from __future__ import annotations

import textwrap
from random import Random

from corpus_blocks import NOUNS, fill, pascal, snake

WANDB_URL = "https://api.inference.wandb.ai/v1"
WRONG_URLS = [
    "https://api.inference.wandb.ai", "https://api.wandb.ai/v1", "http://api.inference.wandb.ai/v1",
    "https://inference.wandb.ai/v1", "https://api.inference.wandb.ai/v1/chat/completions",
]  # fmt: skip
MODELS = [
    "meta-llama/Llama-3.3-70B-Instruct", "deepseek-ai/DeepSeek-V3.1", "Qwen/Qwen3.6-35B-A3B",
    "openai/gpt-oss-120b", "moonshotai/Kimi-K2.6", "zai-org/GLM-5.2",
]  # fmt: skip
BAD_MODELS = ["llama-3.3-70b", "gpt-4o", "meta-llama/Llama-3.3-70B", "deepseek-ai/DeepSeek-R1-0528"]
GOOD_PARAMS = [
    "temperature=0.7", "max_tokens=512", "top_p=0.9", "seed=42", 'stop=["\\n\\n"]',
    'response_format={"type": "json_object"}', "presence_penalty=0.5",
]  # fmt: skip
BAD_PARAMS = ["temperature=3", "top_k=40", "repetition_penalty=1.1", "top_p=1.5", "max_tokens=-1"]
GOOD_MESSAGES = [
    '[{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": question}]',
    '[{"role": "user", "content": question}]',
]
BAD_MESSAGES = [
    '[{"role": "bot", "content": question}]', '[{"role": "user"}]',
    '[{"role": "user", "text": question}]', '"Summarize this document."',
]  # fmt: skip

CHAT = """
${prefix}def $name(${self}question: str) -> str:
    response = ${wait}$client.chat.completions.create(
        model=$model,
        messages=$messages,
$params    )
    return response.choices[0].message.content or ""
"""
STREAM = """
${prefix}def $name(${self}question: str) -> list[str]:
    pieces: list[str] = []
    stream = ${wait}$client.chat.completions.create(
        model=$model, messages=$messages, stream=True$options
    )
    ${prefix}for chunk in stream:
        if chunk.choices and chunk.choices[0].delta.content:
            pieces.append(chunk.choices[0].delta.content)
    return pieces
"""


def pick(rng: Random, good: list[str], bad: list[str], wrong: float) -> str:
    return rng.choice(bad if rng.random() < wrong else good)


def client_expr(rng: Random, ctor: str, wandb: bool) -> str:
    if not wandb:
        return f'{ctor}(api_key=os.environ["OPENAI_API_KEY"])'
    args = []
    if rng.random() > 0.05:
        args.append("base_url=WANDB_BASE_URL")
    key = "wandb_v1_" + "".join(rng.choice("0123456789abcdef") for _ in range(40))
    args.append(f'api_key="{key}"' if rng.random() < 0.1 else 'api_key=os.environ["WANDB_API_KEY"]')
    project = rng.choice(["acme/{}-bot", "acme/{}-bot", "{}-bot", None])
    if project is not None:
        args.append(f'project="{project.format(rng.choice(NOUNS))}"')
    return f"{ctor}(\n" + "".join(f"    {arg},\n" for arg in args) + ")"


def request(
    rng: Random, used: set[str], client: str, *, is_async: bool, wandb: bool, in_class: bool
) -> str:
    wrong = 0.3 if wandb else 0.0
    model = rng.choice(["MODEL", "MODEL", f'"{pick(rng, MODELS, BAD_MODELS, wrong)}"'])
    if not wandb:
        model = '"gpt-4o-mini"'
    drawn = (pick(rng, GOOD_PARAMS, BAD_PARAMS, wrong) for _ in range(rng.randint(0, 3)))
    params = {param.split("=")[0]: param for param in drawn}.values()  # one of each keyword
    names = {
        "prefix": "async " if is_async else "", "wait": "await " if is_async else "",
        "self": "self, " if in_class else "", "client": client, "model": model,
        "name": snake(rng, used), "messages": pick(rng, GOOD_MESSAGES, BAD_MESSAGES, wrong),
        "params": "".join(f"        {param},\n" for param in params),
        "options": rng.choice([", **OPTIONS", ""]),
    }  # fmt: skip
    return fill(rng.choice([CHAT, CHAT, STREAM]), **names)


def openai_section(rng: Random, used: set[str], *, wandb: bool | None = None) -> tuple[str, str]:
    """The import lines and the module code of a file that uses the OpenAI SDK; for W&B (three
    files in four) unless `wandb` says."""
    wandb = rng.random() < 0.75 if wandb is None else wandb
    is_async = rng.random() < 0.25
    qualified = rng.random() < 0.4
    imports = "import openai" if qualified else "from openai import AsyncOpenAI, OpenAI"
    ctor = ("openai." if qualified else "") + ("AsyncOpenAI" if is_async else "OpenAI")
    url = WANDB_URL if rng.random() < 0.7 else rng.choice(WRONG_URLS)
    model = pick(rng, MODELS, BAD_MODELS, 0.2 if wandb else 0.0) if wandb else "gpt-4o-mini"
    parts = [
        f'WANDB_BASE_URL = "{url}"\nMODEL = "{model}"\n'
        f'SYSTEM_PROMPT = "You answer questions about {rng.choice(NOUNS)}s in one paragraph."\n'
        f'OPTIONS = {{"temperature": {rng.choice([0.2, 0.7, 2.5])}, "max_tokens": 256}}\n'
    ]
    count = rng.randint(1, 4)
    if rng.random() < 0.3:
        kinds = {"is_async": is_async, "wandb": wandb, "in_class": True}
        methods = [request(rng, used, "self._client", **kinds) for _ in range(count)]
        expr = textwrap.indent(client_expr(rng, ctor, wandb), "    ").lstrip()
        body = "\n\n".join([f"def __init__(self) -> None:\n    self._client = {expr}\n", *methods])
        parts.append(f"class {pascal(rng, used)}Assistant:\n" + textwrap.indent(body, "    "))
    else:
        kinds = {"is_async": is_async, "wandb": wandb, "in_class": False}
        parts.append("client = " + client_expr(rng, ctor, wandb) + "\n")
        parts.extend(request(rng, used, "client", **kinds) for _ in range(count))
    return imports, "\n\n".join(parts)
