"""Ralph's LRS API on its file-system backend, storing every POST.

Run with Ralph's own interpreter (var/ralph): `python ralph_appending_lrs.py
HOST PORT`, with RALPH_AUTH_FILE, RALPH_RUNSERVER_BACKEND=fs and
RALPH_BACKENDS__LRS__FS__DEFAULT_DIRECTORY_PATH set as for `ralph runserver`.

Ralph 5.1's file-system backend writes the statements file in "create" mode,
which refuses once the file exists: `ralph runserver -b fs` stores the first
batch posted to it and answers 500 to every later one. Its "append" mode is
what a store that receives many batches needs, so this runs Ralph's API
(ralph.api:app, the app runserver serves) with that one default changed. The
validation, duplicate handling and responses are Ralph's own.
"""

import sys

import uvicorn
from ralph.backends.data.base import BaseOperationType
from ralph.backends.lrs.fs import FSLRSBackend

FSLRSBackend.default_operation_type = BaseOperationType.APPEND

if __name__ == "__main__":
    host, port = sys.argv[1], int(sys.argv[2])
    uvicorn.run("ralph.api:app", host=host, port=port, log_level="info")
