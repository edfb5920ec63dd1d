"""Clicks and keystrokes a browser test spends on a task, as a person would (issue 23).

Every click, tap and typed key of a counted walk goes through one `Effort`, so the figure
is what the walk did, not an estimate: a click is one `click`/`tap` (or `select_option`),
a keystroke one key of `type` (pressed one at a time) or one `press`.
"""

from dataclasses import dataclass, field


@dataclass
class Effort:
    clicks: int = 0
    keys: int = 0
    steps: list = field(default_factory=list)

    def click(self, locator, *, tap: bool = False) -> None:
        (locator.tap if tap else locator.click)()
        self.clicks += 1
        self.steps.append("click")

    def type(self, locator, text: str, *, clear: bool = True) -> None:
        # A person clicks into the field first (one click; a triple-click selects what it
        # holds, so typing replaces it).
        locator.click(click_count=3 if clear else 1)
        self.clicks += 1
        locator.press_sequentially(text)
        self.keys += len(text)
        self.steps.append(f"type {text!r}")

    def press(self, locator, key: str) -> None:
        locator.press(key)
        self.keys += 1

    def select(self, locator, value: str) -> None:
        locator.select_option(value)
        self.clicks += 2  # open the list, pick the option
        self.steps.append(f"select {value!r}")

    def __str__(self) -> str:
        return f"{self.clicks} clicks, {self.keys} keystrokes"


def effort_report(figure: str) -> None:
    """Print a walk's figure and keep it in E2E_EFFORT_FILE (when set) for the report."""
    import os

    print(figure)
    if os.environ.get("E2E_EFFORT_FILE"):
        with open(os.environ["E2E_EFFORT_FILE"], "a", encoding="utf-8") as out:
            out.write(figure + "\n")
