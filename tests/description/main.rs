//! The description (`openapi/intercom.yaml`) and the code generated from it: the checked-in
//! snapshot is what build.rs generated (`snapshot`), the generation code path turns spec
//! mistakes into errors naming what is wrong (`lint`), and every per-operation fact lives in the
//! description (`whole_truth`, which builds a copy of the crate in a subprocess).

// The generation code path shared by build.rs and the xtask, tested directly.
#[path = "../../codegen/mod.rs"]
mod codegen;

mod lint;
mod snapshot;
mod whole_truth;
