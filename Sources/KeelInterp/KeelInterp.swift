// placeholder, replaced by the KeelInterp implementation
