"""The README tour gives the same bytes, command by command and format by format, as the
recorded outputs in tests/golden/tour/ (recorded before the package was reshaped).

A change that means to alter an output regenerates them with
`python -m tests.tour tests/golden/tour` and shows the difference in its commit.
"""

from pathlib import Path

from tests.tour import run_tour

GOLDEN = Path(__file__).parent / "golden" / "tour"
SOURCE = Path(__file__).resolve().parent.parent


def test_every_tour_command_in_every_format_prints_the_recorded_bytes(tmp_path):
    outputs = run_tour(tmp_path, SOURCE)
    recorded = {p.stem: p.read_text(encoding="utf-8") for p in GOLDEN.glob("*.txt")}
    assert sorted(outputs) == sorted(recorded)
    for key, text in outputs.items():
        assert text == recorded[key], key
