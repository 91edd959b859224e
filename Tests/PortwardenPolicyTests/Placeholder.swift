// Tests for this target land with the module.
