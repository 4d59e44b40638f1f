"""Parser benchmark: speed against the bare standard library, accuracy against libraries.

    .venv/bin/python bench/parser.py [--rounds N]

Speed: parse() over every corpus message (public and our own), against a baseline
measured in the same run — `email.message_from_bytes(policy=default)` plus `get_body()`
and `get_content()`, i.e. reading the text without any of our work.

Accuracy: the share of replies whose extracted text is exactly right, and how many
leak (keep quoted or signature lines) or drop (lose the member's lines), on both
corpora. email-reply-parser and mail-parser-reply, when installed, get the same
decoded body text our extraction starts from, so only the reply rules are compared.
"""

import argparse
import sys
import time
from collections import Counter
from email import message_from_bytes, policy
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from apps.inbound.parsing import parse  # noqa: E402
from tests.inbound.corpus import own_cases, public_cases, score  # noqa: E402


def _baseline(raw: bytes) -> str:
    try:
        message = message_from_bytes(raw, policy=policy.default)
        body = message.get_body(preferencelist=("plain", "html"))
        return body.get_content() if body is not None else ""
    except Exception:  # noqa: BLE001 - the baseline may fail where we must not
        return ""


def _rate(function, messages: list[bytes], rounds: int) -> float:
    started = time.perf_counter()
    for _ in range(rounds):
        for raw in messages:
            function(raw)
    return rounds * len(messages) / (time.perf_counter() - started)


def _libraries():
    found = {}
    try:
        from email_reply_parser import EmailReplyParser

        found["email-reply-parser 0.5.12"] = EmailReplyParser.parse_reply
    except ImportError:
        pass
    try:
        from mailparser_reply import EmailReplyParser as MailParserReply

        languages = ["en", "de", "cs", "da", "es", "fr", "it", "ja", "ko", "nl", "pl", "sv", "zh"]
        reader = MailParserReply(languages=languages)
        found["mail-parser-reply 1.36"] = lambda text: reader.parse_reply(text=text)
    except ImportError:
        pass
    return found


def _line(name: str, counts: Counter, total: int) -> str:
    exact = counts["exact"]
    return (f"  {name:<28} {exact:>4}/{total:<4} exact {100 * exact / total:5.1f}%   "
            f"leak {counts['leak'] + counts['wrong']:>3}   drop {counts['drop']:>3}   "
            f"whitespace-only {counts['whitespace']:>3}")


def accuracy(label: str, cases) -> None:
    replies = [case for case in cases if case.expected and not (case.auto_reply or case.bounce)]
    libraries = _libraries()
    ours: Counter = Counter()
    theirs: dict[str, Counter] = {name: Counter() for name in libraries}
    for case in replies:
        parsed = parse(case.raw)
        ours[score(case, parsed.reply_text)] += 1
        for name, function in libraries.items():
            try:
                got = function(parsed.body_text) or ""
            except Exception:  # noqa: BLE001 - a library that raises scores as wrong
                got = ""
            theirs[name][score(case, got)] += 1
    print(f"{label}: {len(replies)} replies with an expected text")
    print(_line("donemail parse()", ours, len(replies)))
    for name, counts in theirs.items():
        print(_line(name, counts, len(replies)))
    machine = [case for case in cases if case.auto_reply or case.bounce]
    if machine:
        right = sum(
            (parsed.auto_reply, parsed.bounce) == (case.auto_reply, case.bounce)
            for case, parsed in ((case, parse(case.raw)) for case in machine)
        )
        print(f"  auto-replies and bounces recognised: {right}/{len(machine)}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    public, own = public_cases(), own_cases()
    messages = [case.raw for case in public + own]
    size = sum(map(len, messages)) / 1e6
    print(f"corpus: {len(messages)} messages, {size:.1f} MB, {args.rounds} rounds")
    baseline = _rate(_baseline, messages, args.rounds)
    ours = _rate(parse, messages, args.rounds)
    print(f"  stdlib message_from_bytes + get_body: {baseline:8.0f} msgs/s")
    print(f"  donemail parse():                     {ours:8.0f} msgs/s "
          f"({ours / baseline:.2f}x the baseline)")
    print()
    accuracy("public corpus (tests/corpus/public)", public)
    accuracy("own corpus (tests/inbound/replies)", own)


if __name__ == "__main__":
    main()
