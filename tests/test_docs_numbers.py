"""README and docs say what the code does: defaults, names, spiders."""

from __future__ import annotations

import os
import re

from scrapy.spiderloader import SpiderLoader
from scrapy.utils.project import get_project_settings

from mirror.__main__ import build_parser
from newsarchive.cli import cli
from tests.support import ROOT


def option_default(command: str, option: str):
    return next(p.default for p in cli.commands[command].params if option in p.opts)


def test_the_mirror_scale_is_the_same_everywhere():
    cli_scale = option_default("mirror", "--scale")
    assert option_default("demo", "--scale") == cli_scale
    assert build_parser().get_default("scale") == cli_scale
    usage = re.search(r"python -m mirror .*\[--scale (\d+)\]",
                      (ROOT / "docs" / "mirror.md").read_text("utf-8"))
    assert usage and int(usage.group(1)) == cli_scale


def test_the_readme_names_every_spider_scrapy_lists():
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "crawler.settings")
    names = SpiderLoader.from_settings(get_project_settings()).list()
    readme = (ROOT / "README.md").read_text("utf-8")
    line = re.search(r"`scrapy list` shows ([^;.]*)", readme)
    assert line and sorted(re.findall(r"`([\w-]+)`", line.group(1))) == sorted(names)
