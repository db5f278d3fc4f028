"""``python -m mirror``: serve the offline mirror of 8btc.com and foresightnews.pro.

Prints the base URL (``http://127.0.0.1:PORT``) as the first line of stdout, then serves
until SIGINT/SIGTERM. Bad arguments give a one-line error and exit status 2.
"""

from __future__ import annotations

import argparse
import sys

from .server import serve

MAX_SCALE = 100_000


class _OneLineParser(argparse.ArgumentParser):
    """argparse whose errors are a single line (no usage block)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        """Print ``prog: error: message`` on one line and exit 2."""
        self.exit(2, f"{self.prog}: error: {message}\n")


def _bounded(low: int, high: int, what: str):
    def parse(text: str) -> int:
        """The integer, or an ArgumentTypeError naming the option and the range."""
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be an integer, got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(
                f"{what} must be between {low} and {high}, got {value}"
            )
        return value

    return parse


def build_parser() -> argparse.ArgumentParser:
    """The command-line interface."""
    parser = _OneLineParser(
        prog="python -m mirror",
        description="Serve a deterministic offline mirror of 8btc.com and foresightnews.pro "
        "on 127.0.0.1. "
        "Real URLs map to http://127.0.0.1:PORT/{host}{path}?{query}; "
        "the ground truth is at /_mirror/truth.json.",
    )
    parser.add_argument(
        "--port",
        type=_bounded(0, 65535, "port"),
        default=0,
        help="TCP port to listen on (default 0: any free port)",
    )
    parser.add_argument(
        "--seed",
        type=_bounded(0, 2**63 - 1, "seed"),
        default=1,
        help="content seed; same seed and scale give identical bytes (default 1)",
    )
    parser.add_argument(
        "--scale",
        type=_bounded(1, MAX_SCALE, "scale"),
        default=30,
        help=f"number of daily digests, the real one included (1..{MAX_SCALE}, default 30, "
        "as `newsarchive mirror`)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--verbose", action="store_true", help="log one line per request to stderr")
    return parser


def main(argv: list[str] | None = None) -> int:
    """Parse arguments and serve until interrupted."""
    args = build_parser().parse_args(argv)
    try:
        serve(args.seed, args.scale, args.port, args.host, args.verbose)
    except OSError as exc:
        print(
            f"python -m mirror: error: cannot listen on {args.host}:{args.port}: "
            f"{exc.strerror}",
            file=sys.stderr,
        )
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
