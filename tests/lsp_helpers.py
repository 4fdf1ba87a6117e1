"""What the `tdlint server` tests share: a pytest-lsp client that starts `python -m tdlint
server` over stdio (this checkout's tdlint), and small helpers to drive it as an editor."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest_lsp
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities
from pytest_lsp.client import DEFAULT_CLIENT_FEATURES, register_lsp_features

ROOT = Path(__file__).resolve().parents[1]
TIMEOUT = 60  # seconds: a loaded CI machine, never a hang

# A functional model whose Dense head reads a sequence (TDL001 on line 10, column 11).
TDL001 = (ROOT / "examples" / "functional_bidirectional_head.py").read_text(encoding="utf-8")
DENSE_ROW = 9  # 0-based
# Its fixed version: the sequence is reduced, so nothing is reported.
CLEAN = TDL001.replace("return_sequences=True", "return_sequences=False")
# A Keras 1 layer with a safe fix (TDL002).
FIXABLE = "from keras.layers import TimeDistributedDense\nlayer = TimeDistributedDense(8)\n"


def _environment() -> dict[str, str]:
    """The server imports this checkout's tdlint, wherever the tests run from."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def _recording_client() -> LanguageClient:
    """pytest-lsp's client, also recording every publishDiagnostics (with its version)."""
    client = LanguageClient(converter_factory=default_converter)
    client.published = []  # type: ignore[attr-defined]
    client.published_event = asyncio.Event()  # type: ignore[attr-defined]

    def publish(client: LanguageClient, params: types.PublishDiagnosticsParams) -> None:
        client.diagnostics[params.uri] = params.diagnostics
        client.published.append(params)  # type: ignore[attr-defined]
        client.published_event.set()  # type: ignore[attr-defined]

    def accept(client: LanguageClient, params: Any) -> None:
        return None

    features = dict(DEFAULT_CLIENT_FEATURES)
    features[types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS] = publish
    features[types.CLIENT_REGISTER_CAPABILITY] = accept
    features[types.WORKSPACE_INLAY_HINT_REFRESH] = accept
    register_lsp_features(client, features)
    return client


CONFIG = ClientServerConfig(
    server_command=[sys.executable, "-m", "tdlint", "server"],
    server_env=_environment(),
    client_factory=_recording_client,
)


def make_fixture():  # noqa: ANN201
    """A fixture: a client connected to a fresh server, shut down after the test (if the
    test did not end the session itself)."""

    @pytest_lsp.fixture(config=CONFIG)
    async def client(lsp_client: LanguageClient):  # noqa: ANN202
        yield
        if lsp_client._server is not None and lsp_client._server.returncode is None:
            await lsp_client.shutdown_session()

    return client


def capabilities(editor: str = "visual-studio-code") -> types.ClientCapabilities:
    return client_capabilities(editor)


async def start(
    client: LanguageClient,
    root: Path,
    options: dict[str, Any] | None = None,
    editor: str | types.ClientCapabilities = "visual-studio-code",
) -> types.InitializeResult:
    caps = capabilities(editor) if isinstance(editor, str) else editor
    return await client.initialize_session(
        types.InitializeParams(
            capabilities=caps,
            root_uri=root.as_uri(),
            workspace_folders=[types.WorkspaceFolder(uri=root.as_uri(), name="project")],
            initialization_options=options,
        )
    )


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="python", version=version, text=text
            )
        )
    )
    return uri


def change_document(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def published(
    client: LanguageClient, uri: str, version: int | None = None
) -> list[types.Diagnostic]:
    """The diagnostics pushed for ``uri`` (for ``version``, if given), waiting for them."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            for params in reversed(client.published):  # type: ignore[attr-defined]
                if params.uri == uri and (version is None or params.version == version):
                    return list(params.diagnostics)
            client.published_event.clear()  # type: ignore[attr-defined]
            await client.published_event.wait()  # type: ignore[attr-defined]

    return await asyncio.wait_for(wait(), TIMEOUT)


async def until(client: LanguageClient, condition: Callable[[], bool]) -> None:
    """Wait until pushed diagnostics make ``condition`` true."""

    async def wait() -> None:
        while not condition():
            client.published_event.clear()  # type: ignore[attr-defined]
            await client.published_event.wait()  # type: ignore[attr-defined]

    await asyncio.wait_for(wait(), TIMEOUT)


def codes(client: LanguageClient, uri: str) -> list[str]:
    return [str(d.code) for d in client.diagnostics.get(uri, ())]


def document(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def hover_text(client: LanguageClient, uri: str, line: int, character: int) -> str | None:
    result = await client.text_document_hover_async(
        types.HoverParams(
            text_document=document(uri),
            position=types.Position(line=line, character=character),
        )
    )
    if result is None:
        return None
    assert isinstance(result.contents, types.MarkupContent)
    return result.contents.value


async def code_actions(
    client: LanguageClient,
    uri: str,
    line: int,
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=document(uri),
            range=types.Range(
                start=types.Position(line=line, character=0),
                end=types.Position(line=line, character=1),
            ),
            context=types.CodeActionContext(diagnostics=[], only=only),
        )
    )
    return [a for a in found or [] if isinstance(a, types.CodeAction)]


def apply_edits(text: str, edits: list[types.TextEdit]) -> str:
    """Apply LSP text edits (UTF-16 positions) to a text, as an editor does."""
    lines = text.splitlines(keepends=True) or [""]

    def offset(position: types.Position) -> int:
        before = sum(len(line) for line in lines[: position.line])
        line = lines[position.line] if position.line < len(lines) else ""
        units = 0
        for index, char in enumerate(line):
            if units >= position.character:
                return before + index
            units += 2 if ord(char) > 0xFFFF else 1
        return before + len(line.rstrip("\r\n")) if position.line < len(lines) else before

    ordered = sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character))
    for edit in reversed(ordered):
        start, end = offset(edit.range.start), offset(edit.range.end)
        text = text[:start] + edit.new_text + text[end:]
    return text


def edits_of(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None and action.edit.changes is not None
    return list(action.edit.changes[uri])
