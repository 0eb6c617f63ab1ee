"""What long commands show while they run: a rich progress bar on stderr when stderr is a
terminal (documents done, the input just finished, errors so far), nothing otherwise, so
logs and pipes only ever get the errors and the result."""
from __future__ import annotations

import sys

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn


class BuildProgress:
    """``with BuildProgress(total, shown) as progress: progress.error(line); progress.advance(source, failed)``;
    ``total`` None for an indeterminate bar (feeds and JSONL files hold any number of documents)."""

    def __init__(self, total: int | None, shown: bool):
        self.errors = 0
        self._bar = Progress(SpinnerColumn(), TextColumn("building"), BarColumn(), MofNCompleteColumn(),
                             TextColumn("{task.fields[errors]} errors"), TimeElapsedColumn(),
                             TextColumn("[dim]{task.fields[current]}"),
                             console=Console(stderr=True), transient=True) if shown else None
        self._task = self._bar.add_task("build", total=total, errors=0, current="") if self._bar else None

    def __enter__(self) -> "BuildProgress":
        if self._bar:
            self._bar.start()
        return self

    def __exit__(self, *_) -> None:
        if self._bar:
            self._bar.stop()

    def error(self, message: str) -> None:
        """An error line on stderr, above the bar when it shows (written past it, the line would
        run on from the bar's own)."""
        if self._bar:
            self._bar.console.print(message, markup=False, highlight=False, soft_wrap=True)
        else:
            print(message, file=sys.stderr)

    def advance(self, source: str, failed: bool) -> None:
        self.errors += failed
        if self._bar:
            self._bar.update(self._task, advance=1, errors=self.errors, current=source)


def shown_on(quiet: bool, as_json: bool) -> bool:
    """A bar only for a person watching: stderr is a terminal and no script asked for quiet or JSON."""
    return sys.stderr.isatty() and not (quiet or as_json)
