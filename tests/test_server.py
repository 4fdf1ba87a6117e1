"""`tdlint server` driven by a real LSP client over stdio (pytest-lsp), as an editor drives
it: diagnostics, hover, quick fixes, fix-all, a syntax error mid-edit, shutdown and exit."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_helpers import (
    CLEAN,
    DENSE_ROW,
    FIXABLE,
    ROOT,
    TDL001,
    apply_edits,
    change_document,
    code_actions,
    edits_of,
    hover_text,
    make_fixture,
    open_document,
    published,
    start,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

from tdlint.config import Selection
from tdlint.fixes import fix_source

pytestmark = pytest.mark.asyncio
client = make_fixture()


async def test_diagnostic_at_the_dense_line(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    (found,) = await published(client, uri, 1)
    assert found.code == "TDL001" and found.source == "tdlint"
    assert found.severity == types.DiagnosticSeverity.Warning
    line = TDL001.splitlines()[DENSE_ROW]
    start_at = line.index("keras.layers.Dense")
    assert found.range == types.Range(
        start=types.Position(line=DENSE_ROW, character=start_at),
        end=types.Position(line=DENSE_ROW, character=line.index("(seq)")),
    )
    assert "applied to the sequence output" in found.message
    # The rule's page, as a link the editor can open.
    assert found.code_description is not None
    page = found.code_description.href
    assert page.startswith("file://") and page.endswith("/rules/TDL001.md")
    assert Path(types.Location(uri=page, range=found.range).uri[7:]).is_file()
    # The LSTM the message names (line 8) is related information.
    (related,) = found.related_information or []
    assert related.location.uri == uri and related.location.range.start.line == 7
    assert related.message.startswith("line 8: seq = keras.layers.Bidirectional(")


async def test_hover_on_the_dense_gives_its_output_shape(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    line = TDL001.splitlines()[DENSE_ROW]
    text = await hover_text(client, uri, DENSE_ROW, line.index("Dense") + 2)
    assert text is not None and text.startswith("**Dense**")
    assert "output shape: `(None, 50, 4)`" in text
    assert "input shape: `(None, 50, 64)`" in text and "params: 260" in text
    # A tensor variable, and a model variable (its summary as a table).
    seq = await hover_text(client, uri, DENSE_ROW - 1, 1)  # `seq = BatchNormalization()(seq)`
    assert seq is not None and seq.startswith("**seq**: tensor `(None, 50, 64)`")
    model = await hover_text(client, uri, DENSE_ROW + 1, 2)  # `classifier = keras.Model(...)`
    assert model is not None and "| Layer | Line | Output shape | Params |" in model
    assert "| Dense | 10 | `(None, 50, 4)` | 260 |" in model
    assert "total params: 11,012" in model
    # Nothing tdlint knows: no hover.
    assert await hover_text(client, uri, 0, 1) is None


async def test_time_distributed_quick_fix_applied_clears_the_diagnostic(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {"unsafeFixes": True})
    uri = open_document(client, tmp_path / "model.py", TDL001)
    await published(client, uri, 1)
    actions = await code_actions(client, uri, DENSE_ROW)
    titles = [a.title for a in actions]
    assert titles == [
        "Set `return_sequences=False` on the LSTM (one output per sequence) (TDL001) (unsafe)",
        "Wrap in `TimeDistributed` (one output per timestep) (TDL001) (unsafe)",
        "Disable TDL001 for this line (`# noqa: TDL001`)",
    ]
    reduce, wrap, noqa = actions
    assert "LSTM(32, return_sequences=False)" in apply_edits(TDL001, edits_of(reduce, uri))
    assert wrap.kind == types.CodeActionKind.QuickFix and wrap.diagnostics
    assert wrap.diagnostics[0].code == "TDL001"
    fixed = apply_edits(TDL001, edits_of(wrap, uri))
    assert "keras.layers.TimeDistributed(keras.layers.Dense(4, " in fixed
    change_document(client, uri, fixed, 2)
    assert await published(client, uri, 2) == []
    # The other way: the noqa comment, at the end of the line.
    suppressed = apply_edits(TDL001, edits_of(noqa, uri))
    assert suppressed.splitlines()[DENSE_ROW].endswith("(seq)  # noqa: TDL001")
    change_document(client, uri, suppressed, 3)
    assert await published(client, uri, 3) == []
    # No quick fix where there is no finding.
    assert await code_actions(client, uri, 0) == []


async def test_unsafe_quick_fixes_are_offered_unless_the_editor_turns_them_off(
    client: LanguageClient, tmp_path: Path
) -> None:
    """As ruff's server does: an unsafe fix is a labelled quick fix the user picks; fix-all
    applies safe fixes only (test below)."""
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    await published(client, uri, 1)
    reduce, wrap, _ = await code_actions(client, uri, DENSE_ROW)
    for action in (reduce, wrap):
        assert action.title.endswith("(unsafe)") and action.edit is not None
        assert not action.is_preferred and action.disabled is None
    client.workspace_did_change_configuration(
        types.DidChangeConfigurationParams(settings={"tdlint": {"unsafeFixes": False}})
    )
    # VS Code shows disabled actions: listed, not applicable
    reduce, wrap, _ = await code_actions(client, uri, DENSE_ROW)
    for action in (reduce, wrap):
        assert action.title.endswith("(unsafe)") and action.edit is None
        assert action.disabled is not None and "unsafeFixes" in action.disabled.reason


async def test_the_readme_example_offers_time_distributed_too(
    client: LanguageClient, tmp_path: Path
) -> None:
    """The README's TD001 (a binary classifier's head on a sequence): its fix, and the other
    remedy its help names."""
    source = (ROOT / "examples" / "many_to_one_forgot_to_reduce.py").read_text()
    await start(client, tmp_path, {"unsafeFixes": True})
    uri = open_document(client, tmp_path / "model.py", source)
    (found,) = await published(client, uri, 1)
    row = found.range.start.line
    assert source.splitlines()[row].strip().startswith("layers.Dense(1")
    titles = [a.title for a in await code_actions(client, uri, row, only=["quickfix"])]
    assert titles == [
        "Set `return_sequences=False` on the LSTM (TDL001) (unsafe)",
        "Wrap in `TimeDistributed` (one output per timestep) (TDL001) (unsafe)",
        "Disable TDL001 for this line (`# noqa: TDL001`)",
    ]


async def test_unsafe_fixes_hidden_from_a_client_without_disabled_actions(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {"unsafeFixes": False}, editor=types.ClientCapabilities())
    uri = open_document(client, tmp_path / "model.py", TDL001)
    await published(client, uri, 1)
    titles = [a.title for a in await code_actions(client, uri, DENSE_ROW)]
    assert titles == ["Disable TDL001 for this line (`# noqa: TDL001`)"]


async def test_fix_all_applies_the_safe_fixes_as_the_cli_does(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "old.py", FIXABLE + TDL001)
    await published(client, uri, 1)
    (action,) = await code_actions(client, uri, 0, only=[types.CodeActionKind.SourceFixAll])
    assert action.kind == "source.fixAll.tdlint" and action.edit is None  # resolved later
    resolved = await client.code_action_resolve_async(action)
    fixed = apply_edits(FIXABLE + TDL001, edits_of(resolved, uri))
    expected = fix_source(FIXABLE + TDL001, "old.py", Selection.from_options(), False)
    assert fixed == expected.source and "TimeDistributedDense" not in fixed
    assert "return_sequences=True" in fixed  # TDL001's fix is unsafe: left alone
    # Quick fixes only: no fix-all; and none at all once nothing is fixable.
    assert all(
        a.kind == "quickfix"
        for a in await code_actions(client, uri, 1, only=[types.CodeActionKind.QuickFix])
    )
    change_document(client, uri, fixed, 2)
    await published(client, uri, 2)
    assert await code_actions(client, uri, 0, only=["source.fixAll"]) == []


async def test_fix_all_for_a_client_that_cannot_resolve(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, editor=types.ClientCapabilities())
    uri = open_document(client, tmp_path / "old.py", FIXABLE)
    await published(client, uri, 1)
    (action,) = await code_actions(client, uri, 0, only=["source.fixAll.tdlint"])
    assert "TimeDistributed(Dense(8))" in apply_edits(FIXABLE, edits_of(action, uri))


async def test_a_syntax_error_mid_edit(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    await published(client, uri, 1)
    broken = TDL001.replace('name="activity_classifier")', 'name="activity_classifier"')
    change_document(client, uri, broken, 2)
    (error,) = await published(client, uri, 2)
    assert error.code == "TDL000" and error.severity == types.DiagnosticSeverity.Error
    # The last good analysis still answers hovers.
    line = TDL001.splitlines()[DENSE_ROW]
    text = await hover_text(client, uri, DENSE_ROW, line.index("Dense") + 1)
    assert text is not None and "`(None, 50, 4)`" in text
    # The fixed text: the diagnostics clear.
    change_document(client, uri, CLEAN, 3)
    assert await published(client, uri, 3) == []


async def test_bad_input_never_kills_the_server(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    unknown = (tmp_path / "never_opened.py").as_uri()
    assert await hover_text(client, unknown, 0, 0) is None
    assert await code_actions(client, unknown, 0) == []
    change_document(client, unknown, "x = 1\n", 2)
    odd = [
        "\x00\x00 keras",
        "import keras\n" + "(" * 5000 + ")" * 5000 + "\n",
        "import keras\nx = '\ud800'\n",
        "import keras\r\nx = keras.layers.Dense(\r\n",
        "",
    ]
    for index, text in enumerate(odd):
        uri = open_document(client, tmp_path / f"odd{index}.py", text)
        await published(client, uri, 1)
        await hover_text(client, uri, 99, 99)  # past the end
        await code_actions(client, uri, 99)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    assert [d.code for d in await published(client, uri, 1)] == ["TDL001"]


async def test_one_analysis_per_burst_of_changes(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    await published(client, uri, 1)
    for version in range(2, 8):  # typed faster than the debounce
        change_document(client, uri, TDL001 + f"\n# {version}\n", version)
    await published(client, uri, 7)
    await asyncio.sleep(0.3)
    versions = [p.version for p in client.published if p.uri == uri]  # type: ignore[attr-defined]
    assert versions == [1, 7]


async def test_shutdown_and_exit_end_with_status_0(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    uri = open_document(client, tmp_path / "model.py", TDL001)
    await published(client, uri, 1)
    await client.shutdown_session()
    assert client._server is not None and client._server.returncode == 0


async def test_exit_without_shutdown_is_status_1(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path)
    client.exit(None)
    assert client._server is not None
    assert await asyncio.wait_for(client._server.wait(), 60) == 1
