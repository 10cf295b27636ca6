// Tests see the shared generator as part of their support library.
@_exported import KeelRandom
