"""kombu's filesystem transport, with messages published atomically.

The stock transport creates the message file and then writes into it, so a
consumer polling the folder can claim the file while it is still empty and
fail to decode it (seen as Flower's "Inspect method conf failed: Expecting
value"). Writing to a hidden name and renaming makes a message appear whole or
not at all. Only the embedded `make run` broker uses this; production runs
RabbitMQ.
"""

import os
import uuid
from time import monotonic

from kombu.transport import TRANSPORT_ALIASES, filesystem
from kombu.utils.encoding import str_to_bytes
from kombu.utils.json import dumps


class Channel(filesystem.Channel):
    def _put(self, queue, payload, **kwargs):
        name = f"{int(round(monotonic() * 1000))}_{uuid.uuid4()}.{queue}.msg"
        final = os.path.join(self.data_folder_out, name)
        # A leading dot keeps the half-written file out of every queue's pattern.
        partial = os.path.join(self.data_folder_out, f".{name}.partial")
        try:
            with open(partial, "wb") as f:
                f.write(str_to_bytes(dumps(payload)))
            os.replace(partial, final)
        except OSError as exc:
            raise filesystem.ChannelError(f"Cannot add file {final!r} to directory") from exc


class Transport(filesystem.Transport):
    Channel = Channel


def install() -> None:
    """Make `filesystem://` URLs use this transport in this process."""
    TRANSPORT_ALIASES["filesystem"] = f"{__name__}:Transport"
