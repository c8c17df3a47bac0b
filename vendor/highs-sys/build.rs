//! Builds HiGHS from the sources in `HiGHS/` with the `cc` crate, as HiGHS's own CMake build
//! makes its static library (release flags, the same defines and include order), so that a
//! machine needs a C/C++ compiler and nothing else: no cmake, and no libclang, since the
//! bindings are pre-generated in `src/bindings.rs`.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// Include directories of HiGHS's CMake build, in its order (quoted includes that are not next
/// to the including file are looked up in this order).
const INCLUDE_DIRS: [&str; 19] = [
    "extern",
    "highs",
    "highs/interfaces",
    "highs/io",
    "highs/ipm",
    "highs/ipm/ipx",
    "highs/ipm/basiclu",
    "highs/lp_data",
    "highs/mip",
    "highs/model",
    "highs/parallel",
    "highs/pdlp",
    "highs/pdlp/cupdlp",
    "highs/pdlp/hipdlp",
    "highs/presolve",
    "highs/qpsolver",
    "highs/simplex",
    "highs/test_kkt",
    "highs/util",
];

fn main() {
    let highs = Path::new(env!("CARGO_MANIFEST_DIR")).join("HiGHS");
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let config_dir = out.join("include");
    fs::create_dir_all(&config_dir).expect("create OUT_DIR/include");
    fs::write(config_dir.join("HConfig.h"), config_header(&highs)).expect("write HConfig.h");

    let mut c_sources = Vec::new();
    let mut cpp_sources = Vec::new();
    collect_sources(&highs.join("highs"), &mut c_sources, &mut cpp_sources);
    c_sources.sort();
    cpp_sources.sort();

    let mut c = base_build(&highs, &config_dir);
    c.files(&c_sources);
    let c_objects = c.compile_intermediates();

    let mut cpp = base_build(&highs, &config_dir);
    cpp.cpp(true).files(&cpp_sources).objects(c_objects);
    if !cpp.get_compiler().is_like_msvc() {
        cpp.flag("-std=c++11");
        // HiGHS's CMake adds -mpopcnt on x86 except on Apple.
        let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
        let vendor = env::var("CARGO_CFG_TARGET_VENDOR").unwrap_or_default();
        if (arch == "x86_64" || arch == "x86") && vendor != "apple" {
            cpp.flag("-mpopcnt");
        }
    }
    // One archive, libhighs.a, with the C objects in it; cc also links the C++ runtime.
    cpp.compile("highs");

    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=HiGHS");
}

/// What C and C++ sources share: HiGHS's release flags whatever the cargo profile (the
/// solver's numbers must not depend on it), and quiet, as CMake's build is.
fn base_build(highs: &Path, config_dir: &Path) -> cc::Build {
    let mut build = cc::Build::new();
    for dir in INCLUDE_DIRS {
        build.include(highs.join(dir));
    }
    build
        .include(config_dir)
        .define("NDEBUG", None)
        .opt_level(3)
        .debug(false)
        .warnings(false)
        .extra_warnings(false);
    if !build.get_compiler().is_like_msvc() {
        build.flag("-w");
    }
    build
}

/// Every C and C++ source under `dir`: exactly the library's sources, since only those are
/// vendored.
fn collect_sources(dir: &Path, c: &mut Vec<PathBuf>, cpp: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).expect("read HiGHS source directory") {
        let path = entry.expect("read HiGHS source directory").path();
        if path.is_dir() {
            collect_sources(&path, c, cpp);
            continue;
        }
        match path.extension().and_then(|e| e.to_str()) {
            Some("c") => c.push(path),
            Some("cc" | "cpp") => cpp.push(path),
            _ => {}
        }
    }
}

/// The HConfig.h that HiGHS's CMake writes from `HConfig.h.in` with the options highs-sys
/// gives it (FAST_BUILD, no zlib, CPU PDLP, no HiPO, Release) and the results of its compiler
/// checks for this target.
fn config_header(highs: &Path) -> String {
    let version = fs::read_to_string(highs.join("Version.txt")).expect("read HiGHS/Version.txt");
    let part = |key: &str| {
        version
            .lines()
            .find_map(|line| line.strip_prefix(key)?.strip_prefix('='))
            .unwrap_or_else(|| panic!("HiGHS/Version.txt has no {key}"))
            .trim()
            .to_owned()
    };
    let arch = env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    let msvc = env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default() == "msvc";
    let define = |on: bool, name: &str| {
        if on {
            format!("#define {name}\n")
        } else {
            format!("/* #undef {name} */\n")
        }
    };
    [
        "#ifndef HCONFIG_H_\n#define HCONFIG_H_\n\n".to_owned(),
        define(true, "FAST_BUILD"),
        define(false, "ZLIB_FOUND"),
        define(true, "CUPDLP_CPU"),
        define(false, "CUPDLP_GPU"),
        define(false, "HIPO"),
        define(true, "HIGHS_SHARED_EXTRAS_LIBRARY"),
        "#define CMAKE_BUILD_TYPE \"Release\"\n".to_owned(),
        define(false, "HIGHSINT64"),
        define(false, "HIGHS_NO_DEFAULT_THREADS"),
        define(arch == "x86_64" || arch == "x86", "HIGHS_HAVE_MM_PAUSE"),
        define(!msvc, "HIGHS_HAVE_BUILTIN_CLZ"),
        define(msvc, "HIGHS_HAVE_BITSCAN_REVERSE"),
        "\n#define HIGHS_GITHASH \"n/a\"\n".to_owned(),
        format!("#define HIGHS_VERSION_MAJOR {}\n", part("HIGHS_MAJOR")),
        format!("#define HIGHS_VERSION_MINOR {}\n", part("HIGHS_MINOR")),
        format!("#define HIGHS_VERSION_PATCH {}\n", part("HIGHS_PATCH")),
        "\n#endif /* HCONFIG_H_ */\n".to_owned(),
    ]
    .concat()
}
