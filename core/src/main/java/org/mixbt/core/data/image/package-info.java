/**
 * Encoded image files (JPEG, PNG, …) to and from RGB HWC uint8 pixels, the way torchvision's PIL loader
 * sees them ({@code Image.open(f).convert("RGB")}), plus the prep-time short-side resize.
 */
package org.mixbt.core.data.image;
