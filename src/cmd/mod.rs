//! One module per subcommand: each turns parsed flags into calls on the library and
//! prints what happened. Each `run` returns the process exit code.

pub mod build;
pub mod check;
pub mod fetch;
pub mod import;
pub mod init;
pub mod serve;
pub mod watch;
