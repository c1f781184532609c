//! The `intercom-dummy` command as a process: its flags, what it serves, and its memory and
//! liveness under abuse; and a server's lifecycle (it stops when shut down or dropped). The
//! server's behaviour in process is tested in the workspace's `tests/dummy/`.

mod support;

mod abuse;
mod command_line;
mod lifecycle;
