"""`tdlint server` with Jupyter notebooks (LSP 3.17 notebook document sync): the code cells
are analysed together, as `tdlint check` analyses an .ipynb file, and each finding, hover,
quick fix and inlay hint is on its cell."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from lsp_helpers import (
    apply_edits,
    capabilities,
    code_actions,
    codes,
    edits_of,
    hover_text,
    make_fixture,
    published,
    start,
    until,
)
from lsprotocol import types
from pytest_lsp import LanguageClient

pytestmark = pytest.mark.asyncio
client = make_fixture()

CELLS = [
    (types.NotebookCellKind.Code, "import keras\nfrom keras import layers\n"),
    (
        types.NotebookCellKind.Code,
        "inputs = keras.Input(shape=(50, 8))\n"
        "seq = layers.LSTM(32, return_sequences=True)(inputs)\n",
    ),
    (types.NotebookCellKind.Markup, "# The head\n"),
    (
        types.NotebookCellKind.Code,
        "out = layers.Dense(4, activation='softmax')(seq)\nmodel = keras.Model(inputs, out)\n",
    ),
]


def notebook_capabilities() -> types.ClientCapabilities:
    caps = capabilities("visual-studio-code")
    caps.notebook_document = types.NotebookDocumentClientCapabilities(
        synchronization=types.NotebookDocumentSyncClientCapabilities()
    )
    return caps


def open_notebook(
    client: LanguageClient, path: Path, cells: list[tuple[types.NotebookCellKind, str]]
) -> tuple[str, list[str]]:
    uri = path.as_uri()
    cell_uris = [f"vscode-notebook-cell://{path}#cell{i}" for i in range(len(cells))]
    client.notebook_document_did_open(
        types.DidOpenNotebookDocumentParams(
            notebook_document=types.NotebookDocument(
                uri=uri,
                notebook_type="jupyter-notebook",
                version=1,
                cells=[
                    types.NotebookCell(kind=kind, document=cell_uri)
                    for (kind, _), cell_uri in zip(cells, cell_uris, strict=True)
                ],
            ),
            cell_text_documents=[
                types.TextDocumentItem(
                    uri=cell_uri,
                    language_id="python" if kind == types.NotebookCellKind.Code else "markdown",
                    version=1,
                    text=text,
                )
                for (kind, text), cell_uri in zip(cells, cell_uris, strict=True)
            ],
        )
    )
    return uri, cell_uris


def change_cell(client: LanguageClient, uri: str, cell: str, text: str, version: int) -> None:
    client.notebook_document_did_change(
        types.DidChangeNotebookDocumentParams(
            notebook_document=types.VersionedNotebookDocumentIdentifier(uri=uri, version=version),
            change=types.NotebookDocumentChangeEvent(
                cells=types.NotebookDocumentCellChanges(
                    text_content=[
                        types.NotebookDocumentCellContentChanges(
                            document=types.VersionedTextDocumentIdentifier(
                                uri=cell, version=version
                            ),
                            changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
                        )
                    ]
                )
            ),
        )
    )


async def test_cells_analysed_together_findings_on_their_cell(
    client: LanguageClient, tmp_path: Path
) -> None:
    result = await start(client, tmp_path, {"unsafeFixes": True}, notebook_capabilities())
    assert result.capabilities.notebook_document_sync is not None
    _, cells = open_notebook(client, tmp_path / "nb.ipynb", CELLS)
    (found,) = await published(client, cells[3])
    assert found.code == "TDL001"
    assert found.range.start == types.Position(line=0, character=6)
    # The LSTM it names is in another cell: the related information points there.
    (related,) = found.related_information or []
    assert related.location.uri == cells[1] and related.location.range.start.line == 1
    assert related.message.startswith("cell 2, line 2: seq = layers.LSTM(")
    for other in (cells[0], cells[1], cells[2]):
        assert await published(client, other) == []
    # Shapes flow from cell to cell: the Dense's input is the LSTM's sequence.
    text = await hover_text(client, cells[3], 0, 14)
    assert text is not None and text.startswith("**Dense**")
    assert "output shape: `(None, 50, 4)`" in text and "input shape: `(None, 50, 32)`" in text
    # Quick fixes in the cell: TimeDistributed, and noqa.
    _, wrap, noqa = await code_actions(client, cells[3], 0)
    assert wrap.title.startswith("Wrap in `TimeDistributed`")
    fixed = apply_edits(CELLS[3][1], edits_of(wrap, cells[3]))
    assert fixed.startswith("out = layers.TimeDistributed(layers.Dense(4, activation='softmax'))")
    assert (
        apply_edits(CELLS[3][1], edits_of(noqa, cells[3]))
        .splitlines()[0]
        .endswith("(seq)  # noqa: TDL001")
    )


async def test_a_broken_cell_then_a_fixed_one(client: LanguageClient, tmp_path: Path) -> None:
    await start(client, tmp_path, editor=notebook_capabilities())
    uri, cells = open_notebook(client, tmp_path / "nb.ipynb", CELLS)
    await published(client, cells[3])
    change_cell(client, uri, cells[1], "inputs = keras.Input(shape=(50, 8)\n", 2)
    # The other cells are still checked: the Dense has no input any more, no TDL001.
    await until(
        client,
        lambda: codes(client, cells[1]) == ["TDL000"] == [*codes(client, cells[3]), "TDL000"],
    )
    (error,) = client.diagnostics[cells[1]]
    assert error.range.start.line == 0 and "never closed" in error.message
    fixed = CELLS[1][1].replace("return_sequences=True", "return_sequences=False")
    change_cell(client, uri, cells[1], fixed, 3)
    await until(client, lambda: codes(client, cells[1]) == [] and codes(client, cells[3]) == [])
    # Hovers follow (once the new analysis has its outline).
    for _ in range(100):
        text = await hover_text(client, cells[3], 0, 14)
        if text is not None and "input shape: `(None, 32)`" in text:
            break
        await asyncio.sleep(0.05)
    else:
        raise AssertionError(text)


async def test_fix_all_and_inlay_hints_in_a_notebook(
    client: LanguageClient, tmp_path: Path
) -> None:
    await start(client, tmp_path, {"inlayHints": True}, notebook_capabilities())
    old = "from keras.layers import TimeDistributedDense\nlayer = TimeDistributedDense(8)\n"
    cells = [*CELLS, (types.NotebookCellKind.Code, old)]
    _, uris = open_notebook(client, tmp_path / "nb.ipynb", cells)
    await published(client, uris[4])
    (action,) = await code_actions(client, uris[4], 0, only=["source.fixAll"])
    resolved = await client.code_action_resolve_async(action)
    assert resolved.edit is not None and list(resolved.edit.changes or {}) == [uris[4]]
    assert "TimeDistributed(Dense(8))" in apply_edits(old, edits_of(resolved, uris[4]))
    hints = await client.text_document_inlay_hint_async(
        types.InlayHintParams(
            text_document=types.TextDocumentIdentifier(uri=uris[3]),
            range=types.Range(
                start=types.Position(line=0, character=0), end=types.Position(line=5, character=0)
            ),
        )
    )
    assert [(h.position.line, h.label) for h in hints or []] == [(0, "→ (None, 50, 4)")]
