"""The model creation wizard: base → use case → parameters → prompt → template → name → review
→ create, one step at a time (ctrl+n next, Esc back; Esc on the first step closes).

Every step change keeps the wizard as a draft in the library (`WizardState.modelfile()` as the
text, the choices in the origin), so an unfinished wizard can be resumed from its first step.
The review builds the create once with the core (`build_create_request` → `prepare_create` →
`ModelCreate`, quantized when asked) and the create step sends that same object.
"""

from __future__ import annotations

import asyncio
import threading
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import (
    ContentSwitcher,
    Input,
    Label,
    OptionList,
    ProgressBar,
    Select,
    Static,
    TextArea,
)
from textual.widgets.option_list import Option

from modelarium.modelfile import DocumentEditError, ElementKind, Message, ModelfileDocument
from modelarium.terminal_text import terminal_text
from modelarium.tui.errors import one_line
from modelarium.tui.keys import bindings_for
from modelarium.tui.messages import ModelCreated, ShowModel
from modelarium.tui.state import LibraryUnavailable, services_of
from modelarium.tui.widgets.footer import AppFooter
from modelarium.tui.widgets.parameter_form import ParameterForm
from modelarium.tui.wizard.state import (
    QUANTIZATIONS,
    USE_CASE_HELP,
    USE_CASES,
    WizardState,
)
from modelarium.tui.wizard_draft import STEPS

if TYPE_CHECKING:
    from modelarium.knowledge.match import ModelFacts as MatcherFacts
    from modelarium.knowledge.records import KnowledgeRecord
    from modelarium.modelfile import ModelCreate, ModelFacts
    from modelarium.store.types import Draft, StoredElement


NARROW_WIZARD = 120
"""Below this width (cells) the parameters step gives the form more of the room."""
REVIEW = STEPS.index("Review")
CREATE = STEPS.index("Create")
PARAMETERS = STEPS.index("Parameters")


class WizardScreen(Screen[None]):
    """Create a model step by step, on any host, without writing Modelfile syntax."""

    BINDINGS: ClassVar[list[BindingType]] = list(bindings_for("wizard"))
    DEFAULT_CSS = """
    WizardScreen #wizard-title {
        height: auto; padding: 0 1; text-style: bold; background: $panel;
    }
    WizardScreen #wizard-steps { height: 1fr; padding: 0 1; }
    WizardScreen #wizard-steps > * { height: 1fr; }
    WizardScreen OptionList { height: 1fr; }
    WizardScreen #wizard-sets-side, WizardScreen #wizard-prompt-side { width: 44; }
    WizardScreen.-narrow #wizard-sets-side { width: 30; margin-right: 1; }
    WizardScreen #wizard-sets-side > Label { width: 100%; }
    WizardScreen ParameterForm .parameter-group { width: 100%; }
    WizardScreen ParameterForm .parameter-row { height: auto; }
    WizardScreen ParameterForm .parameter-hint { height: auto; }
    WizardScreen.-narrow ParameterForm .parameter-input { width: 14; }
    WizardScreen #wizard-templates { width: 44; }
    WizardScreen #wizard-system { height: 1fr; }
    WizardScreen #wizard-messages { height: auto; max-height: 8; }
    WizardScreen #wizard-step-5 Select, WizardScreen #wizard-step-5 Input { width: 60; }
    WizardScreen #wizard-step-5 > * { height: auto; }
    WizardScreen #wizard-step-0 > Label, WizardScreen #wizard-step-0 > Static { height: auto; }
    WizardScreen #wizard-step-6 > * { height: auto; }
    WizardScreen .wizard-heading { text-style: bold; color: $accent; margin-top: 1; }
    """

    def __init__(
        self,
        *,
        host: str | None = None,
        base: str | None = None,
        parameter_set: int | None = None,
        state: WizardState | None = None,
        draft: Draft | None = None,
    ) -> None:
        super().__init__()
        self.unresumable: int | None = None
        """A draft asked for that is not a wizard's (said on mount; the wizard starts afresh)."""
        if draft is not None and state is None:
            state = WizardState.from_draft(draft.text, draft.origin, draft.id)
            self.unresumable = draft.id if state is None else None
        self.state = state or WizardState()
        if base and host and state is None:
            self.state.set_base(host, base)
        self.start_set = parameter_set
        """A library parameters element to start from (from the Library)."""
        self.facts: ModelFacts | None = None
        self._fetching_facts = False
        """Whether the base's facts are being fetched now."""
        self.matcher_facts: MatcherFacts | None = None
        """The base's facts as the `k` view gives them to the knowledge matcher (with its
        GGUF basename, so a renamed model still finds its series)."""
        """The base model's facts on its host (for recommendations and model-aware lint)."""
        self.recommended: dict[str, str] = {}
        self.recommendation_sources: list[str] = []
        self.other_sizes: tuple[KnowledgeRecord, ...] = ()
        """Without vendor values for the base: its series' records for other sizes, nearest
        first (their library sets are offered, labelled as another size's)."""
        self.other_size_sets: dict[int, str] = {}
        """Element id -> label of the other sizes' sets offered (`other size (32B, ...`)."""
        self.series: str | None = None
        """The base's series as the knowledge matcher names it (by name lineage, not the
        coarse `family` Ollama reports)."""
        self.create: ModelCreate | None = None
        """The exact create the review showed; the create step sends it."""
        self.created = False
        self.drafts: list[Draft] = []
        self._draft_lock = threading.Lock()
        """Draft saves run one at a time (the first creates the draft the next update)."""

    # Layout ------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static("", id="wizard-title", markup=False)
        with ContentSwitcher(initial="wizard-step-0", id="wizard-steps"):
            with Vertical(id="wizard-step-0"):
                yield Label("Installed models (Enter picks one); a draft to resume is listed first")
                yield OptionList(id="wizard-bases")
                yield Input(placeholder="or pull a model: name, then Enter", id="wizard-pull")
                yield ProgressBar(id="wizard-pull-progress", show_eta=False)
                yield Static("", id="wizard-pull-status", markup=False)
            with Vertical(id="wizard-step-1"):
                yield Label("What is the model for? (Enter picks)")
                yield OptionList(
                    *(Option(f"{case:<9} {USE_CASE_HELP[case]}", id=case) for case in USE_CASES),
                    id="wizard-use-cases",
                )
            with Horizontal(id="wizard-step-2"):
                with Vertical(id="wizard-sets-side"):
                    yield Label("Parameter sets (Enter applies)")
                    yield OptionList(id="wizard-sets")
                    yield Static("", id="wizard-sources", markup=False)
                yield ParameterForm(ModelfileDocument(""), id="wizard-form")
            with Horizontal(id="wizard-step-3"):
                with Vertical(id="wizard-prompt-side"):
                    yield Input(placeholder="search the library's prompts", id="wizard-prompt-q")
                    yield OptionList(id="wizard-prompts")
                with Vertical():
                    yield Label("System prompt")
                    yield TextArea(id="wizard-system", soft_wrap=True)
                    yield Static("", id="wizard-messages", markup=False)
            with Horizontal(id="wizard-step-4"):
                yield OptionList(id="wizard-templates")
                with VerticalScroll():
                    yield Static("", id="wizard-template-preview", markup=False)
            with Vertical(id="wizard-step-5"):
                yield Label("Name of the new model")
                yield Input(id="wizard-name")
                yield Static("", id="wizard-name-problem", markup=False)
                yield Label("Host to create it on")
                hosts = [(host.name, host.name) for host in services_of(self).hosts]
                yield Select[str](hosts, id="wizard-host", allow_blank=not hosts)
                yield Label("Quantization (Ollama quantizes F16/F32 weights)")
                yield Select[str](
                    [("keep the base's", "")] + [(level, level) for level in QUANTIZATIONS[1:]],
                    id="wizard-quantize",
                    allow_blank=False,
                    value="",
                )
            with VerticalScroll(id="wizard-step-6"):
                yield Label("Modelfile", classes="wizard-heading")
                yield Static("", id="wizard-modelfile", markup=False)
                yield Label("Problems", classes="wizard-heading")
                yield Static("", id="wizard-problems", markup=False)
                yield Label("/api/create body (exactly as sent)", classes="wizard-heading")
                yield Static("", id="wizard-body", markup=False)
            with Vertical(id="wizard-step-7"):
                yield ProgressBar(id="wizard-progress", show_eta=False)
                yield Static("", id="wizard-create-status", markup=False)
        yield AppFooter()

    def on_mount(self) -> None:
        if self.unresumable is not None:
            self.notify(f"Draft #{self.unresumable} cannot be resumed.", severity="error")
        self._load_bases()
        self._load_library_lists("")
        self.query_one("#wizard-pull-progress", ProgressBar).display = False
        if self.start_set is not None:
            self._apply_library_set(self.start_set)
        if self.state.choices.base:
            self._fetch_facts()
        first = 1 if self.state.choices.base else 0
        self._show_step(self.state.choices.step if self.state.draft_id is not None else first)

    def on_resize(self, event: events.Resize) -> None:
        """Below `NARROW_WIZARD` columns the sets list narrows and the parameter form's inputs
        with it, so every hint beside an input is shown whole (wrapped, not cut)."""
        self.set_class(event.size.width < NARROW_WIZARD, "-narrow")

    # Steps -------------------------------------------------------------------------------

    @property
    def step(self) -> int:
        """The step shown (0-based)."""
        return self.state.choices.step

    def _show_step(self, step: int) -> None:
        self.state.choices.step = step
        self.query_one(ContentSwitcher).current = f"wizard-step-{step}"
        base = self.state.choices.base or "no base yet"
        self.query_one("#wizard-title", Static).update(
            f"New model · step {step + 1} of {len(STEPS)}: {STEPS[step]} · "
            f"{terminal_text(base)} · {self.state.choices.use_case}"
        )
        if step == PARAMETERS:
            if self.state.choices.base and self.facts is None and not self._fetching_facts:
                self._fetch_facts()  # the last ask failed (a slow or down host): ask again
            self._enter_parameters()
        elif step == 3:
            self._enter_prompt()
        elif step == 5:
            self._enter_name()
        elif step == REVIEW:
            self._review()
        self.call_after_refresh(self._focus_step)

    def _focus_step(self) -> None:
        container = self.query_one(f"#wizard-step-{self.step}")
        first = next((node for node in container.query("*") if node.focusable), None)
        if first is not None:
            first.focus()
        if isinstance(first, OptionList) and first.highlighted is None and first.option_count:
            first.highlighted = 0

    def action_next(self) -> None:
        """The next step (on the review: create the model)."""
        problem = self._leave_step()
        if problem:
            self.notify(problem, severity="warning")
            return
        if self.step == REVIEW:
            if self.create is None:
                self.notify("The create is not ready yet (see the problems).", severity="warning")
                return
            self._show_step(CREATE)
            self._create(self.create, self.state.choices.host)
            return
        if self.step >= CREATE:
            return
        self._show_step(self.step + 1)
        self._save_draft()

    def action_back(self) -> None:
        """The previous step; on the first, close (the wizard stays a draft)."""
        if self.step == CREATE and not self.created:
            self.workers.cancel_group(self, "wizard-create")
        if self.step == 0 or self.created:
            self.dismiss(None)
            return
        self._leave_step()
        self._show_step(self.step - 1)
        self._save_draft()

    def action_close(self) -> None:
        """Close the wizard, keeping it as a draft at the step shown."""
        self._leave_step()
        self._save_draft()
        self.dismiss(None)

    def _leave_step(self) -> str | None:
        """Take what the step shows into the state; the reason it cannot be left, if any."""
        choices = self.state.choices
        if self.step == 0 and not choices.base:
            return "Pick a base model first (or pull one)."
        if self.step == PARAMETERS:
            form = self.query_one("#wizard-form", ParameterForm)
            errors = [name for name, verdict in form.problems.items() if verdict.error]
            if errors:
                return f"Fix the value of {', '.join(errors)} first."
            self.state.parameters = form.document
        if self.step == 3:
            self.state.system = self.query_one("#wizard-system", TextArea).text.strip()
        if self.step == 5:
            # Deferred (start-up): not loaded before the first paint.
            from modelarium.ollama.names import ModelName

            choices.name = self.query_one("#wizard-name", Input).value.strip()
            host = self.query_one("#wizard-host", Select).value
            choices.host = host if isinstance(host, str) else choices.host
            level = self.query_one("#wizard-quantize", Select).value
            choices.quantize = level if isinstance(level, str) else ""
            problem = ModelName.parse(choices.name).problem if choices.name else "type a name"
            if problem:
                return f"The name: {problem}"
        return None

    # Step 1: base ------------------------------------------------------------------------

    @work(exclusive=True, group="wizard-bases", exit_on_error=False)
    async def _load_bases(self) -> None:
        services = services_of(self)
        options: list[Option] = []
        try:
            drafts = await asyncio.to_thread(lambda: services.library.get().list_drafts())
        except LibraryUnavailable:
            drafts = []
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.tui.wizard_draft import WizardChoices

        self.drafts = [d for d in drafts if WizardChoices.from_origin(d.origin) is not None]
        for draft in self.drafts:
            choices = WizardChoices.from_origin(draft.origin)
            assert choices is not None
            options.append(
                Option(
                    f"↺ resume {terminal_text(choices.name or choices.base or draft.name)} "
                    f"(step {choices.step + 1}: {STEPS[choices.step]})",
                    id=f"draft:{draft.id}",
                )
            )
        pool = services.pool
        if pool is not None:
            listed = await pool.list_all()
            for host, models in listed.items():
                if isinstance(models, BaseException):
                    continue
                for model in sorted(models, key=lambda m: m.name):
                    options.append(
                        Option(
                            terminal_text(
                                f"{model.name}  · {host}  {model.family} {model.parameter_size}"
                            ),
                            id=f"model:{host}\0{model.name}",
                        )
                    )
        bases = self.query_one("#wizard-bases", OptionList)
        bases.clear_options()
        bases.add_options(options)
        if options:
            bases.highlighted = 0

    @on(OptionList.OptionSelected, "#wizard-bases")
    def _base_picked(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id or ""
        if key.startswith("draft:"):
            self._resume(int(key.removeprefix("draft:")))
            return
        host, _, model = key.removeprefix("model:").partition("\0")
        self.state.choices.host = host
        self.state.set_base(host, model)
        self._fetch_facts()
        self.action_next()

    def _resume(self, draft_id: int) -> None:
        draft = next(d for d in self.drafts if d.id == draft_id)
        state = WizardState.from_draft(draft.text, draft.origin, draft.id)
        if state is None:
            self.notify(f"Draft #{draft_id} cannot be resumed.", severity="error")
            return
        self.state = state
        self._fetch_facts()
        self._show_step(state.choices.step)

    @on(Input.Submitted, "#wizard-pull")
    def _pull_submitted(self, event: Input.Submitted) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.ollama.names import ModelName

        name = event.value.strip()
        problem = ModelName.parse(name).problem if name else "type a model name"
        if problem:
            self.query_one("#wizard-pull-status", Static).update(f"✗ {problem}")
            return
        host = self.state.choices.host or next(iter(services_of(self).hosts)).name
        self._pull(host, name)

    @work(exclusive=True, group="wizard-pull", exit_on_error=False)
    async def _pull(self, host: str, name: str) -> None:
        status = self.query_one("#wizard-pull-status", Static)
        bar = self.query_one("#wizard-pull-progress", ProgressBar)
        bar.display = True
        try:
            async for progress in services_of(self).client(host).pull(name):
                if progress.total:
                    bar.update(total=progress.total, progress=progress.completed)
                status.update(f"{terminal_text(progress.status)} ({host})")
        except Exception as error:  # OllamaError / HostNotAvailable: their text names both
            status.update(f"✗ pull failed: {one_line(error)}")
            return
        status.update(f"Pulled {name} on {host}.")
        self.app.post_message(ModelCreated(host, name))
        self.state.choices.host = host
        self.state.set_base(host, name)
        self._fetch_facts()
        self._load_bases()
        self.action_next()

    @work(exclusive=True, group="wizard-facts", exit_on_error=False)
    async def _fetch_facts(self) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.knowledge.match import facts_from_show
        from modelarium.ollama.facts import FactsSource

        choices = self.state.choices
        self._fetching_facts = True
        try:
            client = services_of(self).client(choices.host)
            facts = await FactsSource().facts(client, choices.base)
            details = await client.show(choices.base)
            self.matcher_facts = facts_from_show(details, facts.host_version)
            self.facts = facts
        except Exception as error:  # a host or model gone: recommendations stay unknown
            self.facts = self.matcher_facts = None
            self.notify(f"No facts for {choices.base} on {choices.host}: {one_line(error)}")
        finally:
            self._fetching_facts = False
        if self.step == PARAMETERS:
            self._enter_parameters()

    # Step 2: use case --------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#wizard-use-cases")
    def _use_case_picked(self, event: OptionList.OptionSelected) -> None:
        choices = self.state.choices
        old = choices.use_case
        choices.use_case = event.option.id or "general"
        if choices.name.endswith(f"-{old}") or f"-{old}:" in choices.name:
            choices.name = choices.name.replace(f"-{old}", f"-{choices.use_case}", 1)
        self.action_next()

    # Step 3: parameters ------------------------------------------------------------------

    def _enter_parameters(self) -> None:
        self.recommended, self.recommendation_sources = self._recommendations()
        form = self.query_one("#wizard-form", ParameterForm)
        self.run_worker(form.load(self.state.parameters, self.recommended), group="wizard-form")
        sets = self.query_one("#wizard-sets", OptionList)
        sets.clear_options()
        if self.recommended:
            sets.add_option(
                Option(
                    f"Recommended for {self.series or 'this model'} · "
                    f"{self.state.choices.use_case}",
                    id="recommended",
                )
            )
        self._load_library_sets()
        self.query_one("#wizard-sources", Static).update(
            "Sources and notes:\n"
            + "\n".join(f"· {source}" for source in self.recommendation_sources)
            if self.recommendation_sources
            else "No curated recommendation known for this base and use case."
        )

    def _family(self) -> str:
        return self.facts.family if self.facts is not None else ""

    def _recommendations(self) -> tuple[dict[str, str], list[str]]:
        """The curated values for the base and use case (the knowledge matcher), with their
        sources."""
        facts = self.matcher_facts
        self.other_sizes = ()
        if facts is None:
            return {}, []
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.knowledge.match import match
        from modelarium.knowledge.records import KnowledgeError, load_records

        task, mode = self._task_and_mode()
        try:
            recommendation = match(load_records(), facts, use_case=task, mode=mode)
        except KnowledgeError as error:
            return {}, [f"the curated knowledge cannot be read: {error}"]
        self.series = recommendation.line
        self.other_sizes = recommendation.other_sizes
        values: dict[str, str] = {}
        sources: list[str] = list(recommendation.remarks)
        sections = recommendation.sections
        fitting = [one for one in sections if (one.mode == "thinking") == (mode == "thinking")]
        for section in (fitting or list(sections))[:1]:
            for row in section.rows:
                if row.vendor is not None:
                    values[row.parameter] = row.vendor.text
            if section.vendor_record is not None:
                source = section.vendor_record.source
                sources.insert(0, f"{source.where} (retrieved {source.retrieved})")
        return values, sources

    def _task_and_mode(self) -> tuple[str, str | None]:
        """The knowledge matcher's task and mode for the use case (thinking is reasoning)."""
        use_case = self.state.choices.use_case
        return ("reasoning", "thinking") if use_case == "thinking" else (use_case, None)

    @work(exclusive=True, group="wizard-sets", exit_on_error=False)
    async def _load_library_sets(self) -> None:
        """Offer the library's sets that suit the base (the `k` view's matcher, by the base's
        series, size and mode), or one line saying that none does."""
        facts = self.matcher_facts
        if facts is None:
            return  # offered once the facts arrive (`_fetch_facts` re-enters the step)
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.knowledge.records import KnowledgeError
        from modelarium.tui.parameter_sets import parameter_sets_for
        from modelarium.tui.wizard.other_sizes import other_size_sets

        task, mode = self._task_and_mode()
        others = self.other_sizes

        def search() -> tuple[list[tuple[int, str]], str, list[tuple[int, str]]]:
            library = services_of(self).library.get()
            matched = parameter_sets_for(library, [facts], use_case=task, mode=mode)
            ids = [one.element.id for one in matched.sets]
            other = other_size_sets(library, others, facts.parameter_size, offered=ids)
            return (
                [(one.element.id, one.label) for one in matched.sets],
                matched.note,
                [(one.element.id, one.label) for one in other],
            )

        try:
            found, note, other = await asyncio.to_thread(search)
        except (LibraryUnavailable, KnowledgeError) as error:
            found, note, other = [], f"No library sets: {one_line(error)}", []
        sets = self.query_one("#wizard-sets", OptionList)
        sets.add_options(
            [Option(f"library: {terminal_text(name)}", id=f"set:{id_}") for id_, name in found]
        )
        if note:
            sets.add_option(Option(terminal_text(note), id="no-sets", disabled=True))
        self.other_size_sets = dict(other)
        sets.add_options([Option(terminal_text(name), id=f"set:{id_}") for id_, name in other])
        enabled = [index for index, option in enumerate(sets.options) if not option.disabled]
        if sets.highlighted is None and enabled:
            sets.highlighted = enabled[0]

    @on(OptionList.OptionSelected, "#wizard-sets")
    def _set_picked(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id or ""
        if key == "recommended":
            self._apply_values(
                dict(self.recommended), f"recommended · {self.state.choices.use_case}"
            )
        elif key.startswith("set:"):
            element_id = int(key.removeprefix("set:"))
            self._apply_library_set(element_id, self.other_size_sets.get(element_id))

    def _apply_values(self, values: dict[str, str | tuple[str, ...]], label: str) -> None:
        try:
            if not self.state.parameters.text.strip():
                self.state.parameters = ModelfileDocument(f"FROM {self.state.choices.base}\n")
            self.state.apply_parameters(values)
        except DocumentEditError as error:
            self.notify(f"Cannot apply {label}: {error}", severity="error")
            return
        self.state.choices.parameter_set = label
        form = self.query_one("#wizard-form", ParameterForm)
        self.run_worker(form.load(self.state.parameters, self.recommended), group="wizard-form")
        self.notify(f"Applied {label}.")

    async def _stored_element(self, element_id: int) -> StoredElement | None:
        """A library element, read in a thread; None (said) when it cannot be read."""
        try:
            return await asyncio.to_thread(
                lambda: services_of(self).library.get().get_element(element_id)
            )
        except Exception as error:  # LibraryUnavailable, ElementNotFound: named in the text
            self.notify(f"Cannot read library element #{element_id}: {one_line(error)}")
            return None

    @work(group="wizard-sets", exit_on_error=False)
    async def _apply_library_set(self, element_id: int, label: str | None = None) -> None:
        """Lay a library set over the parameters; `label` names it (another size's set says
        so), else `library: <its name>`."""
        stored = await self._stored_element(element_id)
        if stored is None:
            return
        values: dict[str, str | tuple[str, ...]] = {}
        for parameter in stored.element.parameters:
            if parameter.name == "stop":
                previous = values.get("stop", ())
                values["stop"] = (
                    *(previous if isinstance(previous, tuple) else ()),
                    parameter.value,
                )
            else:
                values[parameter.name] = parameter.value
        self._apply_values(values, terminal_text(label or f"library: {stored.name}"))

    # Step 4: system prompt and examples --------------------------------------------------

    def _enter_prompt(self) -> None:
        area = self.query_one("#wizard-system", TextArea)
        if area.text != self.state.system:
            area.load_text(self.state.system)
        self._show_messages()

    def _show_messages(self) -> None:
        count = len(self.state.messages)
        self.query_one("#wizard-messages", Static).update(
            f"Few-shot examples: {count} message{'s' if count != 1 else ''}"
            + "".join(f"\n  {m.role}: {terminal_text(m.content[:70])}" for m in self.state.messages)
        )

    @on(Input.Changed, "#wizard-prompt-q")
    def _prompt_query(self, event: Input.Changed) -> None:
        self._load_library_lists(event.value)

    @work(exclusive=True, group="wizard-prompts", exit_on_error=False)
    async def _load_library_lists(self, query: str) -> None:
        family = self._family() or None

        def search() -> tuple[list[tuple[int, str, str]], list[tuple[int, str]]]:
            library = services_of(self).library.get()
            prompts = library.search(query, kinds=("system", "messages"), limit=40)
            templates = library.search(kinds=("template",), family=family, limit=40) or (
                library.search(kinds=("template",), limit=40)
            )
            return (
                [(hit.id, hit.kind, hit.name) for hit in prompts],
                [(hit.id, hit.name) for hit in templates],
            )

        try:
            prompts, templates = await asyncio.to_thread(search)
        except LibraryUnavailable as error:
            self.notify(str(error), severity="warning")
            return
        listing = self.query_one("#wizard-prompts", OptionList)
        listing.clear_options()
        listing.add_options(
            [
                Option(f"{kind:<8} {terminal_text(name)}", id=f"{kind}:{id_}")
                for id_, kind, name in prompts
            ]
        )
        if query:
            return
        template_list = self.query_one("#wizard-templates", OptionList)
        template_list.clear_options()
        template_list.add_option(Option("Inherited from the base model", id="inherited"))
        template_list.add_options(
            [Option(f"library: {terminal_text(name)}", id=f"template:{i}") for i, name in templates]
        )

    @on(OptionList.OptionSelected, "#wizard-prompts")
    def _prompt_picked(self, event: OptionList.OptionSelected) -> None:
        kind, _, element_id = (event.option.id or "").partition(":")
        self._use_element(kind, int(element_id))

    @work(group="wizard-elements", exit_on_error=False)
    async def _use_element(self, kind: str, element_id: int) -> None:
        stored = await self._stored_element(element_id)
        if stored is None:
            return
        element = stored.element
        if element.kind is ElementKind.SYSTEM:
            self.state.system = element.value
            self.query_one("#wizard-system", TextArea).load_text(element.value)
        elif element.kind is ElementKind.MESSAGES:
            self.state.messages = [Message(m.role, m.content) for m in element.messages]
            self._show_messages()
        elif element.kind is ElementKind.TEMPLATE:
            self.state.template = element.value
            self.state.template_name = stored.name
            self._preview_template()
        self.notify(f"Using {stored.name}.")

    # Step 5: template --------------------------------------------------------------------

    @on(OptionList.OptionSelected, "#wizard-templates")
    def _template_picked(self, event: OptionList.OptionSelected) -> None:
        key = event.option.id or ""
        if key == "inherited":
            self.state.template = None
            self.state.template_name = ""
            self._preview_template()
        else:
            self._use_element("template", int(key.removeprefix("template:")))

    @on(OptionList.OptionHighlighted, "#wizard-templates")
    def _template_highlighted(self) -> None:
        self._preview_template()

    def _preview_template(self) -> None:
        state = self.state
        if state.template is None:
            inherited = self.facts.template if self.facts is not None else ""
            text = "Inherited from the base model:\n\n" + (inherited or "(unknown)")
        else:
            text = f"{state.template_name}:\n\n{state.template}"
        self.query_one("#wizard-template-preview", Static).update(terminal_text(text, lines="keep"))

    # Step 6: name, host, quantization ----------------------------------------------------

    def _enter_name(self) -> None:
        self.query_one("#wizard-name", Input).value = self.state.choices.name
        if self.state.choices.host in {host.name for host in services_of(self).hosts}:
            self.query_one("#wizard-host", Select).value = self.state.choices.host
        self.query_one("#wizard-quantize", Select).value = self.state.choices.quantize

    @on(Input.Changed, "#wizard-name")
    def _name_typed(self, event: Input.Changed) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.ollama.names import ModelName

        name = event.value.strip()
        problem = ModelName.parse(name).problem if name else "type a name"
        self.query_one("#wizard-name-problem", Static).update(f"✗ {problem}" if problem else "✓")

    # Step 7: review ----------------------------------------------------------------------

    def _review(self) -> None:
        text = self.state.modelfile()
        self.create = None
        self.query_one("#wizard-modelfile", Static).update(terminal_text(text, lines="keep"))
        self.query_one("#wizard-problems", Static).update("checking…")
        self.query_one("#wizard-body", Static).update("preparing…")
        self._prepare(text)

    @work(exclusive=True, group="wizard-review", exit_on_error=False)
    async def _prepare(self, text: str) -> None:
        # Deferred (start-up): not loaded before the first paint.
        from modelarium.modelfile import check_against_model, lint
        from modelarium.ollama.prepare import prepare_create
        from modelarium.tui.dialogs.editor_create import prepare_request

        choices = self.state.choices
        diagnostics = lint(text)
        if self.facts is not None:
            diagnostics += check_against_model(text, self.facts)
        problems = [
            f"{d.severity} line {d.line}: {d.code} {d.message}"
            for d in sorted(diagnostics, key=lambda d: (d.line, d.column))
        ]
        if choices.quantize and self.facts is not None:
            level = self.facts.quantization.upper()
            if level and level not in {"F16", "F32", "BF16"}:
                problems.append(
                    f"warning: the base is {level}; Ollama quantizes only F16/F32 weights"
                )
        self.query_one("#wizard-problems", Static).update(
            terminal_text("\n".join(problems), lines="keep") if problems else "none"
        )
        request, problem = prepare_request(text, None)
        if request is None:
            self.query_one("#wizard-body", Static).update(f"✗ {problem}")
            return
        try:
            client = services_of(self).client(choices.host)
            create = await prepare_create(client, request, choices.name)
        except Exception as error:  # the host could not say what the create needs
            self.query_one("#wizard-body", Static).update(f"✗ {one_line(error)}")
            return
        self.create = create.quantized(choices.quantize)
        self.query_one("#wizard-body", Static).update(terminal_text(self.create.text, lines="keep"))

    # Step 8: create ----------------------------------------------------------------------

    @work(exclusive=True, group="wizard-create", exit_on_error=False)
    async def _create(self, create: ModelCreate, host: str) -> None:
        status = self.query_one("#wizard-create-status", Static)
        bar = self.query_one("#wizard-progress", ProgressBar)
        try:
            async for progress in services_of(self).client(host).create(create):
                if progress.total:
                    bar.update(total=progress.total, progress=progress.completed)
                status.update(terminal_text(progress.status))
        except Exception as error:  # OllamaError's text names host and model
            status.update(f"✗ create failed: {one_line(error)} (Esc goes back)")
            return
        bar.update(total=1, progress=1)
        self.created = True
        status.update(f"Created {create.model} on {host}.")
        self._discard_draft()
        self.app.post_message(ModelCreated(host, create.model))
        self.app.post_message(ShowModel(host, create.model))
        self.notify(f"Created {create.model} on {host}.")
        self.dismiss(None)

    # Drafts ------------------------------------------------------------------------------

    def _save_draft(self) -> None:
        """Keep the wizard as a draft, in a thread of the app (it outlives a closed wizard)."""
        state = self.state
        if not state.choices.base or self.created:
            return
        try:
            text = state.modelfile()
        except DocumentEditError:
            text = state.parameters.text
        name = f"wizard: {state.choices.name or state.choices.base}"
        origin = state.choices.to_origin()
        services = services_of(self)
        app = self.app

        def save() -> None:
            with self._draft_lock:
                try:
                    draft = services.library.get().save_draft(
                        text, draft_id=state.draft_id, name=name, origin=origin
                    )
                except Exception as error:  # LibraryUnavailable / StoreError: reported
                    note = f"The wizard's draft was not saved: {error}"
                    app.call_from_thread(lambda: app.notify(note, severity="warning"))
                    return
                state.draft_id = draft.id

        app.run_worker(save, thread=True, group="wizard-draft", exit_on_error=False)

    @work(thread=True, group="wizard-draft", exit_on_error=False)
    def _discard_draft(self) -> None:
        if self.state.draft_id is not None:
            try:
                services_of(self).library.get().discard_draft(self.state.draft_id)
            except Exception as error:  # reported; the model exists either way
                self.app.call_from_thread(self.notify, f"Draft kept: {error}")
