"""Apache Jena's SHACL validator, the third opinion where SHACL, pySHACL and the translation differ.

Jena is not one of rightsgraph's validators: it is run beside them, by the conformance runner
(`validate --conformance --third-opinion`) and by the tests of the cases where pySHACL's reading
and the spec's part, so that each reading the project follows is checked against an independent
implementation rather than against our own reading of the spec. It is Debian's
`libapache-jena-java` (Jena 4.5), run as its `shacl validate` command on one data file and one
shapes file; the report comes back as Turtle.

Debian's package moves Jena's bundled Xerces from org.apache.jena.ext.xerces to xerces but leaves
its message files behind, and every XSD datatype then fails to initialise ("internal error" in
XSSimpleTypeDecl). The files are copied where the moved classes look for them, into a temporary
folder put first on the class path.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

from rightsgraph.core.errors import RightsgraphError

JARS = Path("/usr/share/java")
# The jars Jena's SHACL command needs, from the package and what it depends on. A list, not the
# whole folder: that also holds several SLF4J bindings, which refuse to start side by side.
CLASS_PATH = (
    "jena-base", "jena-core", "jena-arq", "jena-iri", "jena-shacl", "jena-shex", "jena-cmds",
    "jena-dboe-base", "jena-dboe-index", "jena-dboe-storage", "jena-dboe-transaction",
    "jena-dboe-trans-data", "jena-tdb", "jena-tdb2", "jena-rdfconnection",
    "commons-cli", "commons-codec", "commons-compress", "commons-csv", "commons-io", "commons-lang3",
    "dexx.collection", "gson", "guava", "httpclient", "httpcore", "jackson-core", "jackson-databind",
    "jackson-annotations", "jsonld-java", "jakarta.json-api", "protobuf", "thrift", "titanium-json-ld",
    "slf4j-api", "slf4j-nop",
)
MOVED = "org/apache/jena/ext/xerces/"


class JenaUnavailable(RightsgraphError):
    """Java or Debian's libapache-jena-java is not installed."""


class JenaFailed(RightsgraphError):
    """Jena did not give a report (it rejected the shapes or the data): its first line of error."""


def missing() -> str | None:
    """What is missing to run Jena, or None when it can run."""
    if shutil.which("java") is None:
        return "Java is not installed (apt-get install default-jre-headless)"
    absent = [name for name in CLASS_PATH if not (JARS / f"{name}.jar").is_file()]
    if absent:
        return f"Apache Jena is not installed (apt-get install libapache-jena-java; missing {absent[0]}.jar)"
    return None


def _message_files(folder: Path) -> None:
    """Xerces' message files where Debian's moved classes look for them (see the module's note)."""
    with zipfile.ZipFile(JARS / "jena-core.jar") as jar:
        for name in jar.namelist():
            if name.startswith(MOVED) and name.endswith(".properties"):
                target = folder / "xerces" / name[len(MOVED):]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(jar.read(name))


def jena_report(data: Path, shapes: Path, timeout: float = 300) -> str:
    """Jena's sh:ValidationReport of one data file against one shapes file, as Turtle (parse it
    with literals kept as written: conformance._exact_literals)."""
    reason = missing()
    if reason:
        raise JenaUnavailable(reason)
    with tempfile.TemporaryDirectory(prefix="rightsgraph-jena-") as scratch:
        _message_files(Path(scratch))
        class_path = ":".join([scratch, *(str(JARS / f"{name}.jar") for name in CLASS_PATH)])
        try:
            done = subprocess.run(
                ["java", "-cp", class_path, "shacl.shacl", "validate", "--shapes", str(shapes), "--data", str(data)],
                capture_output=True, text=True, timeout=timeout, check=False)
        except subprocess.TimeoutExpired as error:
            raise JenaFailed(f"Jena gave no report within {timeout:.0f} s") from error
    if done.returncode != 0 or "ValidationReport" not in done.stdout:
        lines = [line for line in (done.stderr + done.stdout).splitlines() if line.strip()]
        raise JenaFailed(f"Jena gave no report (exit {done.returncode}): {lines[0] if lines else 'no output'}")
    return done.stdout
