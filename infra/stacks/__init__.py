"""The Atrium stack and the nested stacks that hold route functions (one per context)."""
