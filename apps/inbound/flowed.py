"""RFC 3676 format=flowed: joining the lines a client wrapped only for transport.

Apple Mail and Thunderbird send flowed text: a line ending in a space continues on the
next line. Unflowing gives back the lines the member typed, so a long sentence is one
item rather than two.
"""


def _depth(line: str) -> tuple[int, str]:
    depth = 0
    while depth < len(line) and line[depth] == ">":
        depth += 1
    content = line[depth:]
    if content.startswith(" "):
        content = content[1:]  # space-stuffing
    return depth, content


def unflow(text: str, *, delsp: bool = False) -> str:
    out: list[str] = []
    buffer = ""
    buffer_depth = None
    for line in text.split("\n"):
        depth, content = _depth(line)
        if buffer_depth is not None and depth != buffer_depth:
            out.append(">" * buffer_depth + (" " if buffer_depth else "") + buffer)
            buffer, buffer_depth = "", None
        soft = content.endswith(" ") and content != "-- "
        if soft and delsp:
            content = content[:-1]
        buffer += content
        buffer_depth = depth
        if not soft:
            out.append(">" * depth + (" " if depth else "") + buffer)
            buffer, buffer_depth = "", None
    if buffer_depth is not None:
        out.append(">" * buffer_depth + (" " if buffer_depth else "") + buffer)
    return "\n".join(out)
