"""Regenerate graph.png, the README's picture of the sample corpus's page.

    kg build && python data/screenshots/make_screenshot.py [build/graph.html] [--select 徐连高铁]

Opens the page in headless Chromium (Debian's /usr/bin/chromium and chromedriver), waits
for the first drawing, optionally selects an entity (as a search would) so that the picture
shows its neighbourhood and details, and saves a 1600x1000 PNG beside this script.
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("page", nargs="?", default="build/graph.html")
    parser.add_argument("--select", help="name of an entity to select, e.g. 徐连高铁")
    parser.add_argument("-o", "--out", default=str(HERE / "graph.png"))
    args = parser.parse_args(argv)

    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-sync", "--hide-scrollbars",
                 "--window-size=1600,1000", "--force-device-scale-factor=1",
                 "--user-data-dir=%s" % tempfile.mkdtemp(prefix="kg-shot-")):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    try:
        driver.get(Path(args.page).resolve().as_uri())
        deadline = time.time() + 120
        while not driver.execute_script("return !!(window.kgPage && kgPage.firstDraw !== null"
                                        " && kgPage.stabilized !== null)"):
            if time.time() > deadline:
                raise SystemExit("the page did not draw within 120 s")
            time.sleep(0.05)
        if args.select:
            found = driver.execute_script("const ids = kgPage.search(arguments[0]);"
                                          "if (ids.length) { kgPage.focusNode(ids[0]);"
                                          " kgPage.fitZone(); } return ids.length", args.select)
            if not found:
                raise SystemExit("no entity named %r on the page" % args.select)
        time.sleep(1.0)
        driver.save_screenshot(args.out)
    finally:
        driver.quit()
    try:  # 256 colours: a quarter of the size, the same picture
        from PIL import Image
    except ImportError:
        pass
    else:
        image = Image.open(args.out).convert("RGB")
        image.quantize(colors=256, method=Image.Quantize.FASTOCTREE,
                       dither=Image.Dither.NONE).save(args.out, optimize=True)
    print("wrote %s" % args.out)


if __name__ == "__main__":
    main()
