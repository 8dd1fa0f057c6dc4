"""`marsad cron --every 15m`: a ready crontab entry for `marsad run`, with absolute paths."""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from pathlib import Path

from core.errors import UsageError
from core.settings import Settings

MINUTES = (5, 6, 10, 12, 15, 20, 30)  # the periods under an hour that divide an hour
HOURS = (1, 2, 3, 4, 6, 8, 12, 24)  # the periods of hours that divide a day
_PERIOD = re.compile(r"\s*(\d+)\s*([mhd])\s*")
_VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
_PINNED = {"MARSAD_CONFIG_DIR", "MARSAD_DATA_DIR"}  # written into the line itself


def schedule(every: str) -> str:
    """The five crontab time fields for a period of 5m…24h that cron can keep evenly."""
    match = _PERIOD.fullmatch(every)
    if not match:
        raise UsageError(f"--every: expected a period like 15m, 2h or 1d, got {every!r}")
    minutes = int(match.group(1)) * {"m": 1, "h": 60, "d": 1440}[match.group(2)]
    if not 5 <= minutes <= 1440:
        raise UsageError(f"--every: between 5m and 24h, got {every!r}")
    if minutes in MINUTES:
        return f"*/{minutes} * * * *"
    if minutes % 60 == 0 and minutes // 60 in HOURS:
        hours = minutes // 60
        return "0 0 * * *" if hours == 24 else "0 * * * *" if hours == 1 else f"0 */{hours} * * *"
    raise UsageError(f"--every: cron cannot run every {every.strip()} evenly; choose one of "
                     + ", ".join([f"{m}m" for m in MINUTES] + [f"{h}h" for h in HOURS]))


def needed_variables(settings: Settings, env: Mapping[str, str]) -> list[str]:
    """Environment variables a run needs: the ``${NAME}`` of alerts.yaml and the MARSAD_* set now."""
    names = set()
    if settings.alerts_path.exists():
        names.update(_VARIABLE.findall(settings.alerts_path.read_text(encoding="utf-8")))
    names.update(name for name in env if name.startswith("MARSAD_") and name not in _PINNED)
    return sorted(names)


def crontab_entry(every: str, settings: Settings, marsad: Path, project: Path, log: Path | None,
                  env: Mapping[str, str]) -> str:
    """Comment lines and the crontab line: cd into the project, the config and data folders pinned,
    `marsad run --quiet`, output appended to the log (by default data/cron.log)."""
    log = (log or settings.data_dir / "cron.log").absolute()
    q = shlex.quote
    line = (f"{schedule(every)} cd {q(str(project))} && MARSAD_DATA_DIR={q(str(settings.data_dir.absolute()))} "
            f"{q(str(marsad))} --config-dir {q(str(settings.config_dir.absolute()))} run --quiet "
            f">> {q(str(log))} 2>&1")
    lines = [f"# Marsad: `marsad run` every {every.strip()} (add with `crontab -e`). --quiet: the log gets a line "
             "only when a run fails;",
             "# a run that finds the last one still going is skipped with exit 0."]
    variables = needed_variables(settings, env)
    if variables:
        lines.append("# The run reads these from the environment; set them above the line (cron does not read your "
                     "shell's profile),")
        lines.append("# or keep them in a file only you can read and start the command with `. /path/to/file &&`:")
        lines += [f"# {name}=…" for name in variables]
    return "\n".join([*lines, line])
