"""The language server: pygls wiring. Each handler is a few lines over ``tdlint.server``'s
modules, which are themselves thin layers over ``tdlint.api``.

Threading: pygls runs the protocol on an asyncio loop. Analyses (and fix-all) run on one
worker thread, one at a time (LibCST's parse toggles process-wide state, and two analyses
would only share two cores with the editor). The loop answers hovers and code actions from
the last analysis while the next one runs.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from tdlint import __version__
from tdlint.diagnostics import Diagnostic
from tdlint.server import actions, hover
from tdlint.server.analysis import Analysis, Snapshot, analyse
from tdlint.server.convert import to_lsp
from tdlint.server.documents import DocumentState, analysis_executor
from tdlint.server.settings import ClientSettings, Configuration, is_config_file

log = logging.getLogger(__name__)

WATCHED = ("pyproject.toml", "tdlint.toml", ".tdlint.toml", "requirements*.txt", "setup.cfg")


class TdlintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "tdlint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            notebook_document_sync=types.NotebookDocumentSyncOptions(
                notebook_selector=[
                    types.NotebookDocumentFilterWithCells(
                        cells=[types.NotebookCellLanguage(language="python")],
                        notebook="jupyter-notebook",
                    )
                ]
            ),
        )
        self.config = Configuration()
        self.states: dict[str, DocumentState] = {}
        self.executor = analysis_executor()
        self._serial = 0

    # ------------------------------------------------------------------ capabilities
    @property
    def pull(self) -> bool:
        """Whether the client pulls diagnostics (then none are pushed)."""
        caps = self.client_capabilities.text_document
        return caps is not None and caps.diagnostic is not None

    def client_supports(self, path: str) -> bool:
        value: Any = self.client_capabilities
        for part in path.split("."):
            value = getattr(value, part, None)
            if value is None:
                return False
        return bool(value)

    def tell(self, message: str, kind: types.MessageType = types.MessageType.Warning) -> None:
        self.window_log_message(types.LogMessageParams(type=kind, message=f"tdlint: {message}"))

    # ------------------------------------------------------------------ documents
    def state(self, uri: str) -> DocumentState:
        if uri not in self.states:
            self.states[uri] = DocumentState(uri)
        return self.states[uri]

    def snapshot(self, uri: str) -> Snapshot | None:
        """The document's text and version now, with its settings; None when it is closed."""
        state = self.states.get(uri)
        if state is None:
            return None
        if state.notebook is not None:
            return state.notebook.snapshot(self, uri)
        document = self.workspace.text_documents.get(uri)
        if document is None:
            return None
        path = _path(uri)
        settings = self.config.for_file(path)
        for error in self.config.new_errors():
            self.tell(f"configuration error, using the defaults: {error}", types.MessageType.Error)
        return Snapshot(uri, path, document.source, document.version, settings, self.encoding)

    @property
    def encoding(self) -> str:
        return self.workspace.position_encoding or types.PositionEncodingKind.Utf16

    def schedule(self, uri: str, delay: float) -> None:
        """Analyse the document ``delay`` seconds from now (a later change restarts the wait)."""
        state = self.state(uri)
        if state.timer is not None:
            state.timer.cancel()
        loop = asyncio.get_running_loop()
        state.timer = loop.call_later(delay, lambda: self._start(uri))

    def _start(self, uri: str) -> None:
        state = self.state(uri)
        state.timer = None
        state.task = asyncio.ensure_future(self._analyse(uri))

    async def _analyse(self, uri: str) -> None:
        state = self.state(uri)
        snapshot = self.snapshot(uri)
        if snapshot is None:
            return
        if state.is_current(snapshot, complete=True):
            state.notify()
            return
        if state.running:
            state.rerun = True  # the running analysis starts the next one when it ends
            return
        state.running = True
        loop = asyncio.get_running_loop()

        def on_result(partial: Analysis) -> bool:  # on the analysis thread
            loop.call_soon_threadsafe(self._diagnostics_known, partial)
            current = self.snapshot_version(uri)
            return current == snapshot.version

        try:
            analysis = await loop.run_in_executor(self.executor, analyse, snapshot, on_result)
        except RuntimeError:  # the executor is shut down: the server is exiting
            return
        finally:
            state.running = False
        if analysis.error:
            self.tell(f"{snapshot.filename}: {analysis.error}")
        state.finished(analysis)
        if state.rerun or not state.is_current(self.snapshot(uri), complete=True):
            state.rerun = False
            if state.timer is None and self.snapshot(uri) is not None:
                self.schedule(uri, 0)

    def snapshot_version(self, uri: str) -> int | None:
        state = self.states.get(uri)
        if state is not None and state.notebook is not None:
            return state.notebook.version
        document = self.workspace.text_documents.get(uri)
        return None if document is None else document.version

    def _diagnostics_known(self, partial: Analysis) -> None:
        uri = partial.snapshot.uri
        state = self.states.get(uri)
        if state is None or partial.version != self.snapshot_version(uri):
            return  # closed, or changed since: the next analysis will say
        state.known(partial)
        self._serial += 1
        state.result_id = f"{partial.version}-{self._serial}"
        if not self.pull:
            self.publish(state, partial)

    def publish(self, state: DocumentState, analysis: Analysis) -> None:
        if state.notebook is not None:
            for cell_uri, found in state.notebook.diagnostics(self, analysis):
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=cell_uri, diagnostics=found)
                )
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=state.uri, diagnostics=self.lsp_diagnostics(analysis), version=analysis.version
            )
        )

    def lsp_diagnostics(self, analysis: Analysis) -> list[types.Diagnostic]:
        return [self.converter(analysis)(d) for d in analysis.diagnostics]

    def converter(self, analysis: Analysis) -> Callable[[Diagnostic], types.Diagnostic]:
        """tdlint diagnostic -> LSP diagnostic, for one analysed (non-notebook) document."""
        place = (analysis.snapshot.uri, analysis.lines)
        lines = analysis.lines
        return lambda d: to_lsp(d, lines, lambda cell, row: place if cell is None else None)

    async def current(self, uri: str, complete: bool = False) -> Analysis | None:
        """The analysis of the document as it is now (waiting for it if need be);
        ``complete``: with its outline built, if it can be."""
        state = self.states.get(uri)
        while state is not None:
            snapshot = self.snapshot(uri)
            if snapshot is None:
                return None
            if state.is_current(snapshot, complete):
                return state.last
            if state.timer is None and not state.running:
                self.schedule(uri, 0)
            await state.changed()
        return None

    def reanalyse_all(self) -> None:
        for uri in list(self.states):
            self.schedule(uri, 0)
        if self.pull and self.client_supports("workspace.diagnostics.refresh_support"):
            self.workspace_diagnostic_refresh(None)
        if self.client_supports("workspace.inlay_hint.refresh_support"):
            self.workspace_inlay_hint_refresh(None)

    def set_client_settings(self, data: Any) -> None:
        settings, problems = ClientSettings.from_json(data)
        for problem in problems:
            self.tell(f"setting ignored: {problem}")
        self.config.client = settings


def _path(uri: str) -> Path | None:
    """The file a document is, for its configuration; None for an unsaved buffer."""
    path = to_fs_path(uri) if uri.startswith("file:") else None
    return Path(path) if path else None


server = TdlintServer()


# ---------------------------------------------------------------------- lifecycle
@server.feature(types.INITIALIZE)
def initialize(ls: TdlintServer, params: types.InitializeParams) -> None:
    ls.set_client_settings(params.initialization_options)


@server.feature(types.INITIALIZED)
async def initialized(ls: TdlintServer, params: types.InitializedParams) -> None:
    if ls.client_supports("workspace.did_change_watched_files.dynamic_registration"):
        watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in WATCHED]
        options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
        registration = types.Registration(
            id="tdlint-config",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=options,
        )
        ls.client_register_capability(types.RegistrationParams(registrations=[registration]))
    if ls.client_supports("workspace.configuration"):
        await _pull_configuration(ls)


async def _pull_configuration(ls: TdlintServer) -> None:
    try:
        found = await ls.workspace_configuration_async(
            types.ConfigurationParams(items=[types.ConfigurationItem(section="tdlint")])
        )
    except Exception as exc:  # a client that says it can, and then cannot
        ls.tell(f"could not read the editor's settings: {exc}")
        return
    if found and isinstance(found[0], dict):
        ls.set_client_settings(found[0])


@server.feature(types.SHUTDOWN)
def shutdown(ls: TdlintServer, params: None) -> None:
    for state in ls.states.values():
        state.close()
    ls.executor.shutdown(wait=False, cancel_futures=True)


# ---------------------------------------------------------------------- text documents
def _is_python(uri: str, language: str | None) -> bool:
    return language == "python" or uri.endswith((".py", ".pyi"))


@server.feature(types.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: TdlintServer, params: types.DidOpenTextDocumentParams) -> None:
    document = params.text_document
    if _is_python(document.uri, document.language_id):
        ls.state(document.uri)
        ls.schedule(document.uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: TdlintServer, params: types.DidChangeTextDocumentParams) -> None:
    if params.text_document.uri in ls.states:
        ls.schedule(params.text_document.uri, ls.config.client.debounce_ms / 1000)


@server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
def did_save(ls: TdlintServer, params: types.DidSaveTextDocumentParams) -> None:
    uri = params.text_document.uri
    if is_config_file(_path(uri)):
        ls.config.forget()
        ls.reanalyse_all()
    elif uri in ls.states:
        ls.schedule(uri, 0)


@server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: TdlintServer, params: types.DidCloseTextDocumentParams) -> None:
    state = ls.states.pop(params.text_document.uri, None)
    if state is not None:
        state.close()
        if not ls.pull:
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=state.uri, diagnostics=[])
            )


@server.feature(
    types.TEXT_DOCUMENT_DIAGNOSTIC,
    types.DiagnosticOptions(
        identifier="tdlint", inter_file_dependencies=False, workspace_diagnostics=False
    ),
)
async def pull_diagnostics(
    ls: TdlintServer, params: types.DocumentDiagnosticParams
) -> types.DocumentDiagnosticReport:
    uri = params.text_document.uri
    if uri not in ls.states:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    analysis = await ls.current(uri)
    state = ls.states.get(uri)
    if analysis is None or state is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    if params.previous_result_id is not None and params.previous_result_id == state.result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=state.result_id)
    return types.RelatedFullDocumentDiagnosticReport(
        items=ls.lsp_diagnostics(analysis), result_id=state.result_id
    )


# ---------------------------------------------------------------------- code actions
@server.feature(
    types.TEXT_DOCUMENT_CODE_ACTION,
    types.CodeActionOptions(
        code_action_kinds=[types.CodeActionKind.QuickFix, actions.FIX_ALL],  # type: ignore[list-item]
        resolve_provider=True,
    ),
)
async def code_action(
    ls: TdlintServer, params: types.CodeActionParams
) -> list[types.CodeAction] | None:
    uri = params.text_document.uri
    if uri not in ls.states or ls.states[uri].notebook is not None:
        return None
    analysis = await ls.current(uri)
    if analysis is None:
        return None
    settings = analysis.snapshot.settings
    request = actions.Request(
        uri=uri,
        range=params.range,
        only=tuple(params.context.only) if params.context.only else None,
        unsafe=settings.unsafe_fixes,
        disabled_support=ls.client_supports("text_document.code_action.disabled_support"),
        resolve_edit="edit" in _resolvable(ls),
    )
    found = actions.code_actions(analysis, request, ls.converter(analysis))
    for action in found:
        if action.kind == actions.FIX_ALL and not request.resolve_edit:
            await _resolve_fix_all(ls, action)
    return found


def _resolvable(ls: TdlintServer) -> list[str]:
    caps = ls.client_capabilities.text_document
    support = caps.code_action.resolve_support if caps and caps.code_action else None
    return list(support.properties) if support else []


@server.feature(types.CODE_ACTION_RESOLVE)
async def resolve_code_action(ls: TdlintServer, action: types.CodeAction) -> types.CodeAction:
    if action.kind == actions.FIX_ALL and action.edit is None:
        await _resolve_fix_all(ls, action)
    return action


async def _resolve_fix_all(ls: TdlintServer, action: types.CodeAction) -> None:
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    analysis = await ls.current(uri) if isinstance(uri, str) else None
    if analysis is None:
        return
    loop = asyncio.get_running_loop()
    unsafe = analysis.snapshot.settings.unsafe_fixes
    try:
        edit, problem = await loop.run_in_executor(ls.executor, actions.fix_all, analysis, unsafe)
    except RuntimeError:
        return
    if problem:
        ls.tell(f"{analysis.snapshot.filename}: {problem}")
    if edit is not None:
        action.edit = types.WorkspaceEdit(changes={uri: [edit]})  # type: ignore[dict-item]


# ---------------------------------------------------------------------- hover, inlay hints
@server.feature(types.TEXT_DOCUMENT_HOVER)
async def on_hover(ls: TdlintServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    state = ls.states.get(uri)
    if state is None or state.notebook is not None:
        return None
    if state.good is None:  # nothing analysed yet: wait for the first analysis
        await ls.current(uri, complete=True)
    good = state.good
    if good is None or good.outline is None:
        return None
    return hover.hover(good.outline, good.lines, params.position)


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
async def inlay_hints(ls: TdlintServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    uri = params.text_document.uri
    if not ls.config.client.inlay_hints or uri not in ls.states or ls.states[uri].notebook:
        return []
    analysis = await ls.current(uri, complete=True)
    if analysis is None or analysis.outline is None:
        return []
    span = params.range
    return hover.inlay_hints(analysis.outline, analysis.lines, span.start.line, span.end.line)


# ---------------------------------------------------------------------- settings
@server.feature(types.WORKSPACE_DID_CHANGE_CONFIGURATION)
async def did_change_configuration(
    ls: TdlintServer, params: types.DidChangeConfigurationParams
) -> None:
    if isinstance(params.settings, dict) and params.settings:
        ls.set_client_settings(params.settings)
    elif ls.client_supports("workspace.configuration"):
        await _pull_configuration(ls)
    ls.reanalyse_all()


@server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
def did_change_watched_files(ls: TdlintServer, params: types.DidChangeWatchedFilesParams) -> None:
    ls.config.forget()
    ls.reanalyse_all()
