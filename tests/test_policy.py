"""The action policy (core/policy.py): what each action does in a
presentation, a kiosk and a talk, tried step by step through the registry.

The same behaviour is tested end to end with real keys in test_input.py,
test_kiosk.py and test_presenter.py; these tests pin the table itself.
"""

from __future__ import annotations

import pytest

from taixin_kiosk.core.actions import Action, ActionRegistry
from taixin_kiosk.core.policy import ON_CLOSE_REQUEST, POLICY, TAKES_ARGUMENT, ShowKind, Step


class Recorder:
    """Handlers for every step that note what ran; ``applies`` says which
    steps apply (the others return False, as "close the overview" does with
    no overview open)."""

    def __init__(self, applies: set[Step]) -> None:
        self.ran: list[tuple[Step, tuple[object, ...]]] = []
        self.applies = applies

    def handler(self, step: Step):  # type: ignore[no-untyped-def]
        def run(*args: object) -> bool:
            self.ran.append((step, args))
            return step in self.applies
        return run


def registry(kind: ShowKind, applies: set[Step], registered: set[Step] | None = None):
    recorder = Recorder(applies)
    actions = ActionRegistry(POLICY[kind], TAKES_ARGUMENT)
    for step in registered if registered is not None else set(Step):
        actions.register(step, recorder.handler(step))
    return actions, recorder


@pytest.mark.parametrize(("kind", "overview_open", "full_screen", "expected"), [
    (ShowKind.PRESENTATION, True, True, Step.CLOSE_OVERVIEW),
    (ShowKind.PRESENTATION, False, True, Step.LEAVE_FULL_SCREEN),
    (ShowKind.KIOSK, True, True, Step.CLOSE_OVERVIEW),
    (ShowKind.KIOSK, False, True, None),  # a kiosk never leaves full screen
    (ShowKind.TALK, True, True, Step.CLOSE_OVERVIEW),
    (ShowKind.TALK, False, True, Step.ASK_TO_END),
])
def test_what_esc_does(kind, overview_open, full_screen, expected, qapp):
    applies = {Step.ASK_TO_END}
    if overview_open:
        applies.add(Step.CLOSE_OVERVIEW)
    if full_screen:
        applies.add(Step.LEAVE_FULL_SCREEN)
    actions, recorder = registry(kind, applies)
    actions.trigger(Action.ESCAPE)
    applied = [step for step, _ in recorder.ran if step in applies]
    assert applied == ([expected] if expected else [])


def test_the_tour_chooser_closes_first_in_a_talk(qapp):
    actions, recorder = registry(ShowKind.TALK, {Step.CLOSE_CHOOSER, Step.CLOSE_OVERVIEW,
                                                 Step.ASK_TO_END})
    actions.trigger(Action.ESCAPE)
    assert [step for step, _ in recorder.ran] == [Step.CLOSE_CHOOSER]


def test_ctrl_q_asks_in_a_talk_closes_in_a_presentation_and_is_ignored_by_a_kiosk(qapp):
    every = set(Step)
    talk, said = registry(ShowKind.TALK, every)
    assert talk.trigger(Action.QUIT) and [s for s, _ in said.ran] == [Step.ASK_TO_END]
    show, said = registry(ShowKind.PRESENTATION, every)
    assert show.trigger(Action.QUIT) and [s for s, _ in said.ran] == [Step.CLOSE_WINDOW]
    built, said = registry(ShowKind.KIOSK, every)
    assert not built.trigger(Action.QUIT) and said.ran == []
    # A talk whose console has gone (nobody to ask): Ctrl+Q closes.
    alone, said = registry(ShowKind.TALK, every, registered=set(Step) - {Step.ASK_TO_END})
    assert alone.trigger(Action.QUIT) and [s for s, _ in said.ran] == [Step.CLOSE_WINDOW]


@pytest.mark.parametrize("action", [Action.BLACK, Action.WHITE, Action.FREEZE,
                                    Action.FULLSCREEN, Action.QUIT, Action.CONSOLE,
                                    Action.END])
def test_a_kiosks_visitors_cannot_blank_leave_or_end_it(action, qapp):
    actions, recorder = registry(ShowKind.KIOSK, set(Step))
    assert actions.trigger(action) is False and recorder.ran == []


def test_the_projector_shows_no_access_strip_and_keeps_its_place(qapp):
    for action in (Action.ACCESS, Action.FULLSCREEN):
        actions, recorder = registry(ShowKind.TALK, set(Step))
        assert actions.trigger(action) is False and recorder.ran == []


def test_only_the_steps_that_take_an_argument_get_it(qapp):
    actions, recorder = registry(ShowKind.PRESENTATION, set(Step))
    actions.trigger(Action.GOTO, 4)
    actions.trigger(Action.NEXT, "ignored")
    assert recorder.ran == [(Step.GOTO, (4,)), (Step.NEXT, ())]


def test_every_action_means_something_in_some_show_and_a_step_has_one_owner(qapp):
    for action in Action:
        assert any(POLICY[kind].get(action) for kind in ShowKind), action
    actions = ActionRegistry(POLICY[ShowKind.PRESENTATION], TAKES_ARGUMENT)
    actions.register(Step.NEXT, lambda: None)
    with pytest.raises(ValueError, match="already has a handler"):
        actions.register(Step.NEXT, lambda: None)


def test_what_the_window_systems_close_does():
    assert ON_CLOSE_REQUEST == {ShowKind.PRESENTATION: "close", ShowKind.KIOSK: "refuse",
                                ShowKind.TALK: "ask"}
    assert ShowKind.of(kiosk=True, present=False) is ShowKind.KIOSK
    assert ShowKind.of(kiosk=False, present=True) is ShowKind.TALK
    assert ShowKind.of(kiosk=False, present=False) is ShowKind.PRESENTATION
