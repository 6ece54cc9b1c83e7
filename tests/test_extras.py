"""The product wheel holds neither the Bot API double nor aiohttp (the `webhook` extra):
what gets packaged, and the one line each command says when what it needs is missing."""

from __future__ import annotations

import asyncio
import sys
import tomllib
from fnmatch import fnmatch
from pathlib import Path

from tests.support import ROOT, bot_environment


def packaged() -> set[str]:
    """The packages setuptools puts in the wheel, by the patterns of pyproject.toml."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["packages"]["find"]["include"]
    names = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for init in ROOT.glob("**/__init__.py")
        if ".venv" not in init.parts
    }
    return {name for name in names if any(fnmatch(name, pattern) for pattern in patterns)}


def test_the_wheel_holds_the_bot_and_its_handlers_only() -> None:
    names = packaged()
    assert {"bot", "bot.directory", "bot.stats", "handlers"} <= names
    assert not {name.split(".")[0] for name in names} - {"bot", "handlers"}


async def without(module: str, tmp_path: Path, *args: str, **settings: str) -> tuple[int, str]:
    """`python -m bot ARGS` as if `module` were not installed: exit code and stderr."""
    program = (
        f"import sys; sys.modules[{module!r}] = None; "
        f"from bot.__main__ import main; sys.exit(main({list(args)!r}))"
    )
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-c", program, cwd=tmp_path, env=bot_environment(**settings),
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(process.communicate(), timeout=60)
    return int(process.returncode or 0), err.decode()


async def test_the_demo_without_a_clone_says_so_in_one_line(tmp_path: Path) -> None:
    code, err = await without("botapi_double", tmp_path, "run")
    assert code == 2
    assert err.strip().splitlines() == [
        "No TELEGRAM_BOT_TOKEN set, and the offline demo needs a clone of the repository "
        "(./dev run)"
    ]
    code, err = await without("aiohttp", tmp_path, "demo")
    assert code == 2
    assert "Traceback" not in err
    assert err.strip().startswith("The offline demo needs the development dependencies")


async def test_webhook_mode_without_aiohttp_says_which_extra(tmp_path: Path) -> None:
    settings = {
        "TELEGRAM_BOT_TOKEN": "123456789:" + "x" * 30,
        "WEBHOOK_URL": "https://bot.example.org",
        "WEBHOOK_SECRET_TOKEN": "secret",
    }
    code, err = await without("aiohttp", tmp_path, "run", **settings)
    assert code == 2
    assert err.strip().splitlines() == [
        "Configuration error: webhook mode (WEBHOOK_URL) needs aiohttp: pip install "
        '"egalite-bot[webhook]" (from the clone: pip install ".[webhook]")'
    ]
