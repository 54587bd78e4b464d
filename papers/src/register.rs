//! The delivery register (реестр вручения).
