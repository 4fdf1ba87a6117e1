"""`tdlint server`'s settings: the workspace's `[tool.tdlint]` (read again when it changes),
the editor's settings, inlay hints, pulled diagnostics and position encodings."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_helpers import (
    DENSE_ROW,
    TDL001,
    TIMEOUT,
    document,
    make_fixture,
    open_document,
    published,
    start,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio
client = make_fixture()


async def next_published(client: LanguageClient, uri: str, seen: int) -> list[types.Diagnostic]:
    """The first diagnostics pushed for ``uri`` after the first ``seen`` pushes."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            later = [p for p in client.published[seen:] if p.uri == uri]  # type: ignore[attr-defined]
            if later:
                return list(later[0].diagnostics)
            client.published_event.clear()  # type: ignore[attr-defined]
            await client.published_event.wait()  # type: ignore[attr-defined]

    return await asyncio.wait_for(wait(), TIMEOUT)


def pushed(client: LanguageClient) -> int:
    return len(client.published)  # type: ignore[attr-defined]


async def test_pyproject_selection_and_its_change(client: LanguageClient, tmp_path: Path) -> None:
    pyproject = tmp_path / "pyproject.toml"
    pyproject.write_text('[tool.tdlint]\nignore = ["TDL001"]\n', encoding="utf-8")
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "pkg" / "model.py", TDL001)
    assert await published(client, uri, 1) == []
    seen = pushed(client)
    pyproject.write_text('[tool.tdlint]\nignore = ["TDL2"]\n', encoding="utf-8")
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[types.FileEvent(uri=pyproject.as_uri(), type=types.FileChangeType.Changed)]
        )
    )
    assert [d.code for d in await next_published(client, uri, seen)] == ["TDL001"]
    # Saving the file (an editor that does not watch files) reads it again too.
    seen = pushed(client)
    pyproject.write_text('[tool.tdlint]\nselect = ["TDL1"]\n', encoding="utf-8")
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=document(pyproject.as_uri()))
    )
    assert await next_published(client, uri, seen) == []


async def test_a_broken_configuration_falls_back_to_the_defaults(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tdlint]\nselect = ["NOPE"]\n')
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    assert [d.code for d in await published(client, uri, 1)] == ["TDL001"]
    errors = [m.message for m in client.log_messages if m.type == types.MessageType.Error]
    assert errors == [
        "tdlint: configuration error, using the defaults: "
        "`select` in " + str(tmp_path / "pyproject.toml") + " [tool.tdlint]: "
        "unknown rule selector `NOPE`"
    ]


async def test_a_file_over_the_size_limit_is_not_checked(
    client: LanguageClient, tmp_path: Path
) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.tdlint]\nmax-file-size = "1KB"\n')
    await start(client, tmp_path)
    big = TDL001 + "# padding\n" * 100
    uri = open_document(client, tmp_path / "model.py", big)
    assert await published(client, uri, 1) == []
    small = open_document(client, tmp_path / "small.py", TDL001)
    assert [d.code for d in await published(client, small, 1)] == ["TDL001"]
    told = [m.message for m in client.log_messages]
    assert (
        f"tdlint: {tmp_path / 'model.py'}: not checked: larger than 0.000976562 MiB (max-file-size)"
        in told
    )


async def test_editor_settings_keras_version(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path, {"kerasVersion": "3"})
    uri = open_document(client, tmp_path / "model.py", TDL001)
    (found,) = await published(client, uri, 1)
    assert found.severity == types.DiagnosticSeverity.Warning
    seen = pushed(client)
    # Keras 1.0 cannot build a Dense on a sequence at all: an error.
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"tdlint": {"kerasVersion": "1.0"}})
    )
    # (Keras 1 code, also told of its LSTM's changed defaults: TDL309)
    (found,) = [d for d in await next_published(client, uri, seen) if d.code == "TDL001"]
    assert found.severity == types.DiagnosticSeverity.Error
    assert "Keras 1.0-1.1 cannot build this" in found.message
    # Bad values are said, and ignored.
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(
            settings={"tdlint": {"kerasVersion": "4", "debounceMs": -1, "unsafeFixes": "yes"}}
        )
    )
    await asyncio.sleep(0.3)
    told = [m.message for m in client.log_messages]
    assert (
        "tdlint: setting ignored: `kerasVersion` must be 1, 1.0-1.2, 2, 2.0-2.15 or 3, not 4"
        in told
    )
    assert "tdlint: setting ignored: `debounceMs` must be a number of milliseconds, not -1" in told
    assert "tdlint: setting ignored: `unsafeFixes` must be true or false, not 'yes'" in told


async def inlay_hints(client: LanguageClient, uri: str) -> list[types.InlayHint]:
    found = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=document(uri),
            range=types.Range(
                start=types.Position(line=0, character=0),
                end=types.Position(line=20, character=0),
            ),
        )
    )
    return list(found or [])


async def test_inlay_hints_are_a_setting(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    await published(client, uri, 1)
    assert await inlay_hints(client, uri) == []  # off by default
    client.set_configuration({"inlayHints": True}, section="tdlint")
    client.workspace_did_change_configuration(types.DidChangeConfigurationParams(settings=None))
    await asyncio.sleep(0.2)  # the server asks the editor for its settings
    hints = await inlay_hints(client, uri)
    lines = TDL001.splitlines()
    assert [(h.position.line, h.position.character, h.label) for h in hints] == [
        (DENSE_ROW - 2, len(lines[DENSE_ROW - 2]), "→ (None, 50, 64)"),
        (DENSE_ROW - 1, len(lines[DENSE_ROW - 1]), "→ (None, 50, 64)"),
        (DENSE_ROW, len(lines[DENSE_ROW]), "→ (None, 50, 4)"),
    ]


async def test_pulled_diagnostics(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path, editor="neovim")  # Neovim 0.11 pulls diagnostics
    uri = open_document(client, tmp_path / "model.py", TDL001)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=document(uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    assert [d.code for d in report.items] == ["TDL001"] and report.result_id
    again = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(
            text_document=document(uri), previous_result_id=report.result_id
        )
    )
    assert isinstance(again, types.RelatedUnchangedDocumentDiagnosticReport)
    assert again.result_id == report.result_id
    assert client.published == []  # type: ignore[attr-defined]


async def test_positions_in_utf8_for_a_client_that_chose_it(
    client: LanguageClient, tmp_path: Path
) -> None:
    result = await start(client, tmp_path, editor="neovim")  # offers utf-8 first
    assert result.capabilities.position_encoding == types.PositionEncodingKind.Utf8
    text = TDL001.replace('name="sensor_readings"', 'name="sensör_📈"')
    uri = open_document(client, tmp_path / "model.py", text)
    report = await client.text_document_diagnostic_async(
        types.DocumentDiagnosticParams(text_document=document(uri))
    )
    assert isinstance(report, types.RelatedFullDocumentDiagnosticReport)
    (found,) = report.items
    line = text.splitlines()[DENSE_ROW]
    assert found.range.start.character == len(line[: line.index("keras.")].encode())
    inputs_line = next(i for i, t in enumerate(text.splitlines()) if "📈" in t)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=document(uri),
            position=types.Position(line=inputs_line, character=len(b"inputs = keras.I")),
        )
    )
    assert hover is not None and hover.range is not None
    end = text.splitlines()[inputs_line].rindex(")") + 1
    assert hover.range.end.character == len(text.splitlines()[inputs_line][:end].encode())
