"""Golden outputs of PIL's Image.resize(..., BILINEAR) for ShortSideResizeTest.

Run with Debian's python3-pil (Pillow 9.4.0): /usr/bin/python3 make_resize_golden.py
The input is a formula image (ShortSideResizeTest.pattern builds the same one in Java); the output size follows
torchvision's Resize(short_side): long side = int(short_side * long / short).
"""
from PIL import Image



def pattern(h, w):
    return bytes(((y * 7 + x * 13 + c * 61 + (x * y) % 17) % 256)
                 for y in range(h) for x in range(w) for c in range(3))


for H, W, shorts in ((37, 53, (5, 16, 37, 50)), (53, 37, (16,))):
    img = Image.frombytes("RGB", (W, H), pattern(H, W))
    for short in shorts:
        if W <= H:
            size = (short, int(short * H / W))
        else:
            size = (int(short * W / H), short)
        out = img.resize(size, Image.BILINEAR)
        with open(f"pattern-{H}x{W}-short{short}-{out.height}x{out.width}.rgb", "wb") as f:
            f.write(out.tobytes())
        print(H, W, short, out.size)
