"""The language server: pygls wiring. Each handler is a few lines over ``tdlint.server``'s
modules, which are themselves thin layers over ``tdlint.api``.

Threading: pygls runs the protocol on an asyncio loop. Analyses (and fix-all) run on one
worker thread, one at a time (LibCST's parse toggles process-wide state, and two analyses
would only share two cores with the editor). The loop answers hovers and code actions from
the last analysis while the next one runs.
"""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from tdlint import __version__
from tdlint.server import actions, hover, notebooks
from tdlint.server.analysis import Analysis, Snapshot, analyse
from tdlint.server.documents import DocumentState, analysis_executor
from tdlint.server.settings import WATCHED, ClientSettings, Configuration, is_config_file
from tdlint.server.views import View


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
        """The document's text and version now, with its settings; None when it is closed.
        A notebook's text is its cells as an ``.ipynb`` JSON."""
        state = self.states.get(uri)
        if state is None:
            return None
        cells = None
        if state.notebook:
            cells = notebooks.cells_of(self.workspace, uri)
            notebook = self.workspace.get_notebook_document(notebook_uri=uri)
            if cells is None or notebook is None:
                return None
            text, version = notebooks.notebook_json(cells), notebook.version
        else:
            document = self.workspace.text_documents.get(uri)
            if document is None:
                return None
            text, version = document.source, document.version
        path = _path(uri)
        settings = self.config.for_file(path)
        for error in self.config.new_errors():
            self.tell(f"configuration error, using the defaults: {error}", types.MessageType.Error)
        return Snapshot(uri, path, text, version, settings, self.encoding, cells)

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
        state.task = asyncio.ensure_future(self._analyse(uri))  # kept: a task is weakly held
        state.task.add_done_callback(self._report_failure)

    def _report_failure(self, task: asyncio.Future[Any]) -> None:
        """A bug in the server's own code around an analysis: told, and the server goes on."""
        if not task.cancelled() and task.exception() is not None:
            error = task.exception()
            self.tell(f"internal error: {type(error).__name__}: {error}", types.MessageType.Error)

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
        if analysis.error and analysis.error != state.told:  # once, not at every keystroke
            self.tell(f"{snapshot.filename}: {analysis.error}")
        state.told = analysis.error
        state.finished(analysis)
        if state.rerun or not state.is_current(self.snapshot(uri), complete=True):
            state.rerun = False
            if state.timer is None and self.snapshot(uri) is not None:
                self.schedule(uri, 0)

    def snapshot_version(self, uri: str) -> int | None:
        """The document's version now (read from the analysis thread too)."""
        state = self.states.get(uri)
        if state is not None and state.notebook:
            notebook = self.workspace.get_notebook_document(notebook_uri=uri)
            return None if notebook is None else notebook.version
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
        if state.notebook:
            found = notebooks.Placed(analysis).by_cell()
            published = {uri for uri, _ in found}
            for uri in state.cells - published:  # cells deleted since: clear them
                found.append((uri, []))
            state.cells = published
            for uri, diagnostics in found:
                self.text_document_publish_diagnostics(
                    types.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics)
                )
            return
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(
                uri=state.uri,
                diagnostics=[View.of_file(analysis).to_lsp(d) for d in analysis.diagnostics],
                version=analysis.version,
            )
        )

    def owner(self, uri: str) -> str | None:
        """The open document ``uri`` is analysed as part of: itself, or its notebook."""
        if uri in self.states:
            return uri
        notebook = self.workspace.get_notebook_document(cell_uri=uri)
        return notebook.uri if notebook is not None and notebook.uri in self.states else None

    def view(self, analysis: Analysis | None, uri: str) -> View | None:
        if analysis is None:
            return None
        if analysis.snapshot.cells is None:
            return View.of_file(analysis)
        return View.of_cell(analysis, uri)

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
    owner = ls.owner(uri)
    analysis = await ls.current(owner) if owner is not None else None
    state = ls.states.get(owner) if owner is not None else None
    view = ls.view(analysis, uri)
    if view is None or state is None:
        return types.RelatedFullDocumentDiagnosticReport(items=[])
    result_id = f"{state.result_id}:{uri}"  # a notebook's cells share one analysis
    if params.previous_result_id == result_id:
        return types.RelatedUnchangedDocumentDiagnosticReport(result_id=result_id)
    return types.RelatedFullDocumentDiagnosticReport(
        items=[view.to_lsp(d) for d in view.diagnostics()], result_id=result_id
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
    owner = ls.owner(uri)
    if owner is None:
        return None
    # A notebook's quick fixes need its cells' positions: the complete analysis.
    view = ls.view(await ls.current(owner, complete=ls.states[owner].notebook), uri)
    if view is None:
        return None
    request = actions.Request(
        range=params.range,
        only=tuple(params.context.only) if params.context.only else None,
        unsafe=view.analysis.snapshot.settings.unsafe_fixes,
        disabled_support=ls.client_supports("text_document.code_action.disabled_support"),
        unsafe_quick_fixes=ls.config.client.unsafe_fixes is not False,
    )
    found = actions.code_actions(view, request)
    for action in found:
        if action.kind == actions.FIX_ALL and "edit" not in _resolvable(ls):
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
    """The fix-all action's edit: computed on demand, on the analysis thread."""
    data = action.data if isinstance(action.data, dict) else {}
    uri = data.get("uri")
    owner = ls.owner(uri) if isinstance(uri, str) else None
    analysis = await ls.current(owner) if owner is not None else None
    if analysis is None:
        return
    loop = asyncio.get_running_loop()
    unsafe = analysis.snapshot.settings.unsafe_fixes
    try:
        edits, problem = await loop.run_in_executor(ls.executor, actions.fix_all, analysis, unsafe)
    except RuntimeError:  # shutting down
        return
    if problem:
        ls.tell(f"{analysis.snapshot.filename}: {problem}")
    if edits:
        action.edit = types.WorkspaceEdit(changes=edits)  # type: ignore[arg-type]


# ---------------------------------------------------------------------- hover, inlay hints
@server.feature(types.TEXT_DOCUMENT_HOVER)
async def on_hover(ls: TdlintServer, params: types.HoverParams) -> types.Hover | None:
    uri = params.text_document.uri
    owner = ls.owner(uri)
    if owner is None:
        return None
    state = ls.states[owner]
    if state.good is None:  # nothing analysed yet: wait for the first analysis
        await ls.current(owner, complete=True)
    good = state.good  # the last analysis with an outline (kept while the text is broken)
    view = ls.view(good, uri)
    if view is None or good is None or good.outline is None:
        return None
    return hover.hover(view, good.outline, params.position)


@server.feature(types.TEXT_DOCUMENT_INLAY_HINT, types.InlayHintOptions(resolve_provider=False))
async def inlay_hints(ls: TdlintServer, params: types.InlayHintParams) -> list[types.InlayHint]:
    uri = params.text_document.uri
    owner = ls.owner(uri)
    if not ls.config.client.inlay_hints or owner is None:
        return []
    analysis = await ls.current(owner, complete=True)
    view = ls.view(analysis, uri)
    if view is None or analysis is None or analysis.outline is None:
        return []
    span = params.range
    return hover.inlay_hints(view, analysis.outline, span.start.line, span.end.line)


# ---------------------------------------------------------------------- notebooks
@server.feature(types.NOTEBOOK_DOCUMENT_DID_OPEN)
def notebook_did_open(ls: TdlintServer, params: types.DidOpenNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    ls.state(uri).notebook = True
    ls.schedule(uri, 0)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CHANGE)
def notebook_did_change(ls: TdlintServer, params: types.DidChangeNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    if uri in ls.states:
        ls.schedule(uri, ls.config.client.debounce_ms / 1000)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_SAVE)
def notebook_did_save(ls: TdlintServer, params: types.DidSaveNotebookDocumentParams) -> None:
    if params.notebook_document.uri in ls.states:
        ls.schedule(params.notebook_document.uri, 0)


@server.feature(types.NOTEBOOK_DOCUMENT_DID_CLOSE)
def notebook_did_close(ls: TdlintServer, params: types.DidCloseNotebookDocumentParams) -> None:
    state = ls.states.pop(params.notebook_document.uri, None)
    if state is None:
        return
    state.close()
    if not ls.pull:
        for cell in params.cell_text_documents:
            ls.text_document_publish_diagnostics(
                types.PublishDiagnosticsParams(uri=cell.uri, diagnostics=[])
            )


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
