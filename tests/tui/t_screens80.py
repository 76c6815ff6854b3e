"""Whole screens at 80x24, in the style of tig's tests: a fixed database
and today's date, keystrokes in, and every row of the screen compared with
the screen written out below, so any change of layout fails here.  The
account's name (the title bar, the records' last column) is the only thing
filled in.  Negative checks come only after the screen is known to be the
one expected.  After a deliberate change of layout, SCREENS80_DUMP=FILE
writes the screens seen to FILE, to be read and pasted back here."""
import os
import pwd
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tuilib import ESC, F, Tap, Term, Workdir, cli

tap = Tap()
USER = pwd.getpwuid(os.geteuid()).pw_name

HOME = """\
 科普台账 | 安海镇 | 2025 | 进行中 | 规划 2021-2025 | 账号 {user} | 首页

 指标                             完成/任务     % 进度（| 按日应达） 状态
 科学及相关学科教师（辅导员）         12/15   80% #########|####.... 超前
 农村实用技术培训                    45/129   35% ######...|........ 落后
 其中农民                             30/78   38% #######..|........ 落后
 培训农技员                             0/6    0% .........|........ 落后
 培育农业示范主体                      0/11    0% |................. 正常
 遴选建设农业科技示范基地               0/1    0% |................. 正常
 培训各类劳动者                      20/200   10% ##.......|........ 落后
 培养高技能人才                        0/25    0% .........|........ 落后
 领导干部和公务员线上线下培训         0/450    0% ................|. 落后
 具备科学素质的公民比例                 0/-     - .................. 未下达任务

 最近录入（共 3 条记录）
 2025-06-10 培训       科学课教师培训                            12 {col}
 2025-04-18 培训       电工安全培训                              20 {col}
 2025-03-05 培训       茶叶种植技术培训                          45 {col}





F1/^G 帮助  1-9 新建  r/F6 记录  b/F7 U盘  i 指标  y 年度  p 规划  q/F10 退出
"""

TRAINING = """\
 科普台账 | 安海镇 | 2025 | 进行中 | 规划 2021-2025 | 账号 {user} | 录入
 新建培训
= 日期*         [            ]
= 结束日期      [            ]
  培训类别*     [                        ]
  培训名称*     [                                ]
                [                                ]
= 主办单位      [                      ]
= 地点          [                                        ]
  参训人次*     [          ]
  学时          [          ]
  授课人        [                                        ]
  备注          [                                                    ]
                [                                                    ]
                [                                                    ]
                [                                                    ]





  培训开始日期，如 2025-03-05；记入该日期所在年度

F1/^G 帮助  F2/^S 保存  F3/^N 存并新建  F4/^O 选择  F5/^T 保留  Esc/F10 取消
"""

RECORDS = """\
 科普台账 | 安海镇 | 2025 | 进行中 | 规划 2021-2025 | 账号 {user} | 记录
 表单：全部  月份：全部  查找：-  第 1 页
 日期       表单       名称                               人次      修改人
 2025-06-10 培训       科学课教师培训                            12 {col}
 2025-04-18 培训       电工安全培训                              20 {col}
 2025-03-05 培训       茶叶种植技术培训                          45 {col}

















F1 帮助  1-9 新建  Enter 打开  v 查看  d 删除  f 表单  m 月份  s 查找  Esc 返回
"""

HELP = """\
 科普台账 | 安海镇 | 2025 | 进行中 | 规划 2021-2025 | 账号 {user} | 帮助
 所有屏幕
   F1 ^G                 显示本帮助
   ^L                    重画屏幕（画面乱了时）

 首页
   ?                     显示本帮助
   1-9                   新建记录：1 培训，2 科普活动，3 示范主体（按表单顺序）
   r F6                  浏览、筛选、修改、删除记录
   b F7                  U 盘数据包：导出、导入
   i                     指标全称、单位和全市目标（市级首页的表头用代号 #1、
                         #2…）；再按一次返回
   y                     查看另一年度（输入年份，第一个规划起到今年）；首页、标
                         题和规划评估随之改变
   [                     查看上一年
   ]                     查看下一年（最多到今年）
   p                     规划评估：所看年度所属规划每年的任务、完成、状态，合
                         计、达标年数和结论
   w                     （市级）报送情况：各镇街收到的数据包、缺号、未报送的镇
                         街、已关闭的年度和市里的决定
   c                     关闭所看的年度（先确认）：此后该年的记录不能新增、修改
                         或删除；关闭随下一个数据包报送市里审核
帮助第 1-21 行，共 137 行。空格/PgDn 下一页，-/PgUp 上一页，Esc 返回。
Esc/q 返回
"""

USB = """\
 科普台账 | 安海镇 | 2025 | 进行中 | 规划 2021-2025 | 账号 {user} | U盘数据包

  e 把新记录导出到 U 盘文件夹；f 把全部记录重新导出一遍；i 从文件夹导入数据包
  （先预览）。
  数据库本身不要放在 U 盘上，只把数据包放上去。

  用 PuTTY 或 Xshell 远程登录时：
  U 盘插在自己的 Windows 电脑上，kepu 却在办公室的机器上运行。先导出到那台机器
  上的文件夹（如 ~/报送），再用 WinSCP（或 Xshell 的 Xftp）把整个数据包文件夹
  拷到 U 盘；导入时反过来，先把数据包文件夹拷到那台机器上。要拷整个文件夹，不
  要只拷其中的文件。












F1/^G 帮助  e/F2 导出  f 全部重导  i/F3 导入  Esc/q 返回
"""


def expected(screen):
    rows = screen.format(user=USER, col=USER[:11]).split("\n")[:24]
    return [r.rstrip() for r in rows]


def same_screen(t, screen, name):
    """Every row as written above; the differing rows are shown."""
    want = expected(screen)
    got = [r.rstrip() for r in t.screen.display]
    good = tap.ok(got == want, "%s: the whole screen at 80x24" % name)
    if os.environ.get("SCREENS80_DUMP"):
        with open(os.environ["SCREENS80_DUMP"], "a") as f:
            f.write("=== %s\n%s\n" % (name, "\n".join(got)))
    if not good:
        for y, (g, w) in enumerate(zip(got, want)):
            if g != w:
                tap.diag("row %2d got  |%s|\n       want |%s|" % (y, g, w))
    return good


def fixture(w):
    for sets in (("date=2025-03-05", "category=rural_tech", "title=茶叶种植技术培训",
                  "participants=45", "farmers=30", "venue=村委会会议室"),
                 ("date=2025-04-18", "category=worker", "title=电工安全培训",
                  "participants=20"),
                 ("date=2025-06-10", "category=teacher", "title=科学课教师培训",
                  "participants=12")):
        args = ["add", "training"]
        for s in sets:
            args += ["--set", s]
        rc, out, err = cli(w.db, *args)
        if rc != 0:
            raise RuntimeError(err)


def main():
    w = Workdir()
    try:
        fixture(w)
        t = Term(w.db, lang="zh")
        try:
            t.home("zh")
            if same_screen(t, HOME, "home"):
                tap.ok("草稿" not in t.text(), "home: no draft question over it")
            t.send("1")
            if same_screen(t, TRAINING, "the training form"):
                tap.ok("其中农民人次" not in t.text() and "取得证书人数" not in t.text(),
                       "the training form: no field that does not apply yet")
            t.send(ESC)
            t.send("r")
            if same_screen(t, RECORDS, "the records list"):
                tap.ok("（还有下一页）" not in t.text(), "records: no next page")
            t.send(ESC)
            t.send(F[1])
            if same_screen(t, HELP, "the help page"):
                tap.ok("栏内：" not in t.text(), "help: no key written by hand")
            t.send(ESC)
            t.send("b")
            if same_screen(t, USB, "the USB screen"):
                tap.ok("folder/*" not in t.text(), "USB: no file pattern to type")
        finally:
            t.close()
    finally:
        w.cleanup()
    tap.done()


main()
