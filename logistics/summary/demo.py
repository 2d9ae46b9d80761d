"""The demo's term summaries: last term's, written, submitted and signed off at the end of that term; this
term's, a draft the head is writing. Built through the services at their business moments."""
import datetime

from logistics.models import Term, TermSummary

from . import services

OPENING = ("本学期，总务处在校长室的领导下，本着“后勤为教学服务，为师生服务”的宗旨，强化后勤管理，提高服务质量，"
           "为学校教育教学工作提供了有力的后勤保障。现将本学期的后勤工作总结如下：")

LAST_TERM = {
    "routine": ("报修做到随报随修。本学期共受理报修{repairs.total}件，已修复{repairs.done}件，修复用时中位数"
                "{repairs.median_hours}小时，按时修好率{repairs.within_target_percent}。\n\n"
                "坚持定期巡检。全学期应做巡检{checks.due}次，已做{checks.done}次，发现问题的及时报修、及时整改。\n\n"
                "开学初做好教材、作业本和办公用品的发放，共发放教材与作业本{supplies.textbooks}件。"),
    "finance_assets": ("严格执行校长“一支笔”审批制度。本学期审批采购申请{purchases.submitted}份，批准"
                       "{purchases.approved}份，金额{purchases.approved_total}。\n\n"
                       "加强校产管理，本学期新增资产{assets.added}件，价值{assets.added_value}。\n\n"
                       "代收费严格公示，代收金额{fees.collected}，做到收支公开、专款专用。"),
    "outlook": ("后勤人员人手少、任务重，部分维修响应还不够及时。下学期将完善报修分派，"
                "加强物品管理，提高教学设备的使用效率，做到“后勤不后”。"),
}
THIS_TERM = {
    "canteen": ("严格执行食品留样制度，截至目前共留样{samples.taken}份，"
                "每道菜均留样的餐次占{samples.complete_percent}，餐具消毒登记率{disinfection.logged_percent}。\n\n"
                "坚持从业人员晨检，晨检完成率{morning.done_percent}，发现身体不适者及时调离岗位。\n\n"
                "落实学校领导陪餐制度，有陪餐记录的天数占{accompanied.held_percent}。"),
    "routine": ("报修做到随报随修。截至目前共受理报修{repairs.total}件，已修复{repairs.done}件，"
                "按时修好率{repairs.within_target_percent}。\n\n"
                "开学初发放教材与作业本{supplies.textbooks}件，印制试卷{printing.sheets}张。"),
}


class SummaryDemo:
    """One area of the kernel's demo (logistics.demo.DemoBuilder.run calls seed after every module's)."""

    def seed(self, b):
        head, principal = b.users["head"], b.users["principal"]
        previous_name, _first, last = b.term_defs[0]
        previous = Term.objects.get(name=previous_name)
        if not TermSummary.objects.filter(term=previous).exists():
            self._write(b, previous, head, LAST_TERM, start=b.at(last - datetime.timedelta(days=9), 15))
            summary = TermSummary.objects.get(term=previous)
            with b.clock(b.at(last - datetime.timedelta(days=4), 16, 20)):
                summary = services.submit(summary.pk, head, version=summary.version)
            with b.clock(b.at(last - datetime.timedelta(days=2), 10, 5)):
                services.sign(summary.pk, principal, version=summary.version)
        if not TermSummary.objects.filter(term=b.current_term).exists():
            self._write(b, b.current_term, head, THIS_TERM, start=b.days_ago(3, 16, 40))
        return None

    def _write(self, b, term, head, chapters, *, start):
        with b.clock(start):
            summary = services.start(term, head)
        with b.clock(start + datetime.timedelta(minutes=25)):
            summary = services.save_opening(summary.pk, head, version=summary.version, title="", opening=OPENING)
        moment = start + datetime.timedelta(days=1, minutes=10)
        for chapter in summary.chapters.all():
            if chapter.key in chapters:
                with b.clock(moment):
                    services.save_chapter(chapter.pk, head, version=chapter.version, title="",
                                          narrative=chapters[chapter.key])
                moment += datetime.timedelta(hours=2, minutes=15)

    def summary(self):
        states = ", ".join(f"{s.term.name}: {s.get_status_display()}" for s in
                           TermSummary.objects.select_related("term").order_by("term__start"))
        return [f"Term summaries: {states or 'none'}"]


AREAS = [SummaryDemo()]
