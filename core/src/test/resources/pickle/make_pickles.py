#!/usr/bin/python3
"""Writes the pickles RestrictedUnpicklerTest reads. Run: /usr/bin/python3 make_pickles.py (Debian numpy 1.24).

Only pickle.dumps is called here; nothing is ever loaded, so the hostile pickles are inert files.
"""
import os
import pickle

import numpy as np


class CallsOsSystem:
    """The classic hostile pickle: unpickling it in Python would run a shell command."""
    def __reduce__(self):
        return (os.system, ("echo pwned > /tmp/mixbt-pwned",))


class CallsEval:
    def __reduce__(self):
        return (eval, ("__import__('os').system('echo pwned')",))


def write(name, obj, protocol):
    with open(name, "wb") as f:
        f.write(pickle.dumps(obj, protocol=protocol))


# Python 3 at protocol 2 pickles the array bytes through _codecs.encode(text, 'latin1').
write("array_u1_protocol2.pkl", np.array([[0, 1, 255], [128, 7, 42]], dtype=np.uint8), 2)
# Protocol 4: FRAME, MEMOIZE, SHORT_BINBYTES, SHORT_BINUNICODE.
write("array_i4_protocol4.pkl", np.array([1, -2, 300000], dtype="<i4"), 4)
write("dict_bytes_keys_protocol3.pkl", {b"data": np.arange(4, dtype=np.uint8), b"labels": [3, 1]}, 3)
write("object_array_protocol2.pkl", np.array([1, "a"], dtype=object), 2)
write("os_system_protocol2.pkl", CallsOsSystem(), 2)
write("eval_protocol4.pkl", CallsEval(), 4)
