//! The canvassing TUI of obhod, as a library so that its tests and benchmarks can drive it; the
//! `obhod` binary (`main.rs`) is the command line around it.

pub mod app;
pub mod demo;
