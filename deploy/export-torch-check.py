#!/usr/bin/python3
"""Cross-checks a mixbt export (deploy/mixbt export) with PyTorch, once, outside CI.

    /usr/bin/python3 deploy/export-torch-check.py EXPORT_DIR

1. torch.load(encoder.pth, weights_only=True) must give an OrderedDict of tensors that torchvision's ResNet,
   modified as shared/REFERENCE.md says (small-data stems: 3x3 stride-1 conv1; CIFAR: no max-pool; fc dropped;
   stage widths w, 2w, 4w, 8w), loads with load_state_dict(strict=True): no missing, no unexpected key.
2. encoder.safetensors, parsed here with the standard library and numpy only (no torch, no safetensors
   package), must hold exactly the same tensors.
3. When EXPORT_DIR also holds inputs.f32 and features.f32 (raw little-endian float32, NCHW inputs and the DL4J
   network's features: ExportJobTest writes them when MIXBT_EXPORT_CROSSCHECK_DIR=EXPORT_DIR), the torchvision
   model in eval mode must reproduce those features.

Run with Debian's python3-torch 1.13 / python3-torchvision 0.14 (apt-get install python3-torch
python3-torchvision). Exit status 0 when every check passes.
"""
import json
import os
import struct
import sys

import numpy as np
import torch
import torch.nn as nn
import torchvision.models.resnet as tvr

SAFETENSORS_DTYPES = {"F32": np.float32, "F64": np.float64, "I64": np.int64, "I32": np.int32}


def torchvision_encoder(arch, stem, width):
    block, layers = {"resnet18": (tvr.BasicBlock, [2, 2, 2, 2]), "resnet50": (tvr.Bottleneck, [3, 4, 6, 3])}[arch]
    model = tvr.ResNet(block, layers)
    if width != 64:  # torchvision's own _make_layer at the exported width
        model.inplanes = width
        model.conv1 = nn.Conv2d(3, width, 7, 2, 3, bias=False)
        model.bn1 = nn.BatchNorm2d(width)
        model.layer1 = model._make_layer(block, width, layers[0])
        model.layer2 = model._make_layer(block, 2 * width, layers[1], stride=2)
        model.layer3 = model._make_layer(block, 4 * width, layers[2], stride=2)
        model.layer4 = model._make_layer(block, 8 * width, layers[3], stride=2)
    if stem != "imagenet":
        model.conv1 = nn.Conv2d(3, width, kernel_size=3, stride=1, padding=1, bias=False)
    if stem == "cifar":
        model.maxpool = nn.Identity()
    model.fc = nn.Identity()
    return model


def read_safetensors(path):
    with open(path, "rb") as f:
        data = f.read()
    (length,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + length].decode("utf-8"))
    body = data[8 + length:]
    tensors, end = {}, 0
    for key, entry in header.items():
        if key == "__metadata__":
            continue
        begin, stop = entry["data_offsets"]
        assert begin == end, "hole before " + key
        end = stop
        array = np.frombuffer(body[begin:stop], dtype=np.dtype(SAFETENSORS_DTYPES[entry["dtype"]]).newbyteorder("<"))
        tensors[key] = array.reshape(entry["shape"])
    assert end == len(body), "data section not fully indexed"
    return header.get("__metadata__", {}), tensors


def main(folder):
    manifest = json.load(open(os.path.join(folder, "export.json")))
    a = manifest["architecture"]
    state = torch.load(os.path.join(folder, "encoder.pth"), map_location="cpu", weights_only=True)
    print("torch %s: torch.load read %d tensors (%s)" % (torch.__version__, len(state), type(state).__name__))
    model = torchvision_encoder(a["arch"], a["stem"], a["base_width"])
    result = model.load_state_dict(state, strict=True)
    print("load_state_dict(strict=True):", result)
    assert list(state.keys()) == list(model.state_dict().keys()), "keys not in torchvision's order"
    assert all(state[k].dtype == torch.int64 for k in state if k.endswith("num_batches_tracked"))

    metadata, safetensors = read_safetensors(os.path.join(folder, "encoder.safetensors"))
    assert list(safetensors.keys()) == list(state.keys())
    for key, array in safetensors.items():
        assert np.array_equal(array, state[key].numpy()), "safetensors differs at " + key
    print("encoder.safetensors: the same %d tensors, bit for bit; metadata %s" % (len(safetensors), metadata))

    inputs, features = os.path.join(folder, "inputs.f32"), os.path.join(folder, "features.f32")
    if os.path.exists(inputs) and os.path.exists(features):
        c, h, w = manifest["input"]["channels"], manifest["input"]["height"], manifest["input"]["width"]
        x = torch.from_numpy(np.fromfile(inputs, dtype="<f4").reshape(-1, c, h, w))
        expected = np.fromfile(features, dtype="<f4").reshape(x.shape[0], -1)
        model.eval()
        with torch.no_grad():
            got = model(x).numpy()
        diff = float(np.abs(got - expected).max())
        scale = float(np.abs(expected).max())
        print("features %s: max |torch - dl4j| = %.3g (max |feature| %.3g, relative %.3g)"
              % (tuple(got.shape), diff, scale, diff / scale))
        assert diff <= 1e-5 * scale, "features differ"
    print("OK")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
