#!/usr/bin/python3
"""Writes cifar-10-python.tar.gz and cifar-100-python.tar.gz: tiny copies of the publisher's python archives.

Run with Debian's python3 and python3-numpy (1.24): /usr/bin/python3 make_cifar_python.py
Members, dict keys and value types are those of the real archives (written by Python 2 cPickle, protocol 2):
byte strings as BINSTRING, numpy arrays via numpy.core.multiarray._reconstruct. Pixels and labels follow the
formulas of CifarFixtures.java, which builds the binary archives of the same images. Each pickle is loaded back
with numpy (as torchvision does, encoding="latin1") and checked before it is written. Output is deterministic.
"""
import io
import pickle
import struct
import tarfile
import gzip

import numpy as np

CIFAR10_NAMES = ["airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck"]
CIFAR100_FINE = """apple aquarium_fish baby bear beaver bed bee beetle bicycle bottle bowl boy bridge bus butterfly camel
can castle caterpillar cattle chair chimpanzee clock cloud cockroach couch crab crocodile cup dinosaur dolphin
elephant flatfish forest fox girl hamster house kangaroo keyboard lamp lawn_mower leopard lion lizard lobster man
maple_tree motorcycle mountain mouse mushroom oak_tree orange orchid otter palm_tree pear pickup_truck pine_tree
plain plate poppy porcupine possum rabbit raccoon ray road rocket rose sea seal shark shrew skunk skyscraper snail
snake spider squirrel streetcar sunflower sweet_pepper table tank telephone television tiger tractor train trout
tulip turtle wardrobe whale willow_tree wolf woman worm""".split()
CIFAR100_COARSE = """aquatic_mammals fish flowers food_containers fruit_and_vegetables household_electrical_devices
household_furniture insects large_carnivores large_man-made_outdoor_things large_natural_outdoor_scenes
large_omnivores_and_herbivores medium_mammals non-insect_invertebrates people reptiles small_mammals trees
vehicles_1 vehicles_2""".split()
assert len(CIFAR100_FINE) == 100 and len(CIFAR100_COARSE) == 20


def pixels(seed, count):
    """CifarFixtures.pixel: a multiplicative hash of (seed, record, byte index) in the publisher's CHW order."""
    n = (seed * 1000003 + np.arange(count * 3072, dtype=np.uint64)) * np.uint64(2654435761)
    return ((n % np.uint64(1 << 32)) >> np.uint64(13) & np.uint64(0xFF)).astype(np.uint8).reshape(count, 3072)


class Py2Pickler(pickle._Pickler):
    """CPython's pure-Python pickler, writing str and bytes as Python 2's str (SHORT_BINSTRING / BINSTRING)."""
    dispatch = pickle._Pickler.dispatch.copy()

    def save_py2_str(self, obj):
        data = obj.encode("latin1") if isinstance(obj, str) else obj
        if len(data) < 256:
            self.write(pickle.SHORT_BINSTRING + bytes([len(data)]) + data)
        else:
            self.write(pickle.BINSTRING + struct.pack("<i", len(data)) + data)
        self.memoize(obj)

    dispatch[str] = save_py2_str
    dispatch[bytes] = save_py2_str

    def save_global(self, obj, name=None):
        self.write(pickle.GLOBAL + obj.__module__.encode() + b"\n" + (name or obj.__name__).encode() + b"\n")
        self.memoize(obj)


def py2_pickle(obj):
    buf = io.BytesIO()
    Py2Pickler(buf, protocol=2).dump(obj)
    data = buf.getvalue()
    back = pickle.loads(data, encoding="latin1")
    for key, value in obj.items():
        got = back[key.decode("latin1") if isinstance(key, bytes) else key]
        assert (got == value).all() if isinstance(value, np.ndarray) else got == value, key
    assert b"numpy.core.multiarray\n_reconstruct" in data or b"data" not in obj
    return data


def batch(label, seed, count, label_keys):
    d = {"batch_label": label, "data": pixels(seed, count),
         "filenames": ["img_%d_%d.png" % (seed, r) for r in range(count)]}
    for key, fn in label_keys.items():
        d[key] = [fn(seed, r) for r in range(count)]
    return d


def cifar10_label(seed, r):
    return (seed * 7 + r * 3) % 10


def cifar100_fine(seed, r):
    return (seed * 13 + r * 37) % 100


def cifar100_coarse(seed, r):
    return (cifar100_fine(seed, r) + r) % 20


def write_tar(path, members):
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        for name, data in members:
            info = tarfile.TarInfo(name)
            info.size, info.mtime, info.mode = len(data), 0, 0o644
            tar.addfile(info, io.BytesIO(data))
    with open(path, "wb") as f:
        f.write(gzip.compress(raw.getvalue(), mtime=0))


# CIFAR-10: data_batch_1..5 with 3, 2, 3, 2, 3 images (seeds 1..5), test_batch with 4 (seed 6).
c10 = [("cifar-10-batches-py/batches.meta",
        py2_pickle({"num_cases_per_batch": 10000, "label_names": CIFAR10_NAMES, "num_vis": 3072}))]
for i, n in enumerate([3, 2, 3, 2, 3], start=1):
    c10.append(("cifar-10-batches-py/data_batch_%d" % i,
                py2_pickle(batch("training batch %d of 5" % i, i, n, {"labels": cifar10_label}))))
c10.append(("cifar-10-batches-py/test_batch", py2_pickle(batch("testing batch 1 of 1", 6, 4, {"labels": cifar10_label}))))
c10.append(("cifar-10-batches-py/readme.html", b"<html>fixture</html>\n"))
write_tar("cifar-10-python.tar.gz", c10)

# CIFAR-100: train with 7 images (seed 11), test with 5 (seed 12).
keys = {"fine_labels": cifar100_fine, "coarse_labels": cifar100_coarse}
write_tar("cifar-100-python.tar.gz", [
    ("cifar-100-python/file.txt~", b""),
    ("cifar-100-python/train", py2_pickle(batch("training batch 1 of 1", 11, 7, keys))),
    ("cifar-100-python/test", py2_pickle(batch("testing batch 1 of 1", 12, 5, keys))),
    ("cifar-100-python/meta", py2_pickle({"fine_label_names": CIFAR100_FINE, "coarse_label_names": CIFAR100_COARSE})),
])
