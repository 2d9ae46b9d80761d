"""Demo school vehicles: two contracted vehicles (one whose insurance runs out in about two weeks, so the safety
officer's home warns), two drivers with their licences and agreements, two pick-up routes with the pupils'
classes, and a pre-trip check of each vehicle on the last school days (one found a tyre low: not fit, the
spare vehicle went). Today's checks wait to be done."""
import datetime

from logistics.demo import is_school_day

from ..models.vehicles import Driver, Route, TripCheck, Vehicle
from ..selectors.vehicles import ITEMS
from ..services import vehicles as services

CHECK_DAYS = 10
NOT_FIT = (4, 1, "tyres", "左后轮胎压不足，补气后仍漏气，当日停运，由备用车辆接送，已联系维修。")


class VehiclesDemo:
    def seed(self, builder):
        """Keep the vehicles, drivers and routes and record the checks through the services, once."""
        if Vehicle.objects.exists():
            return None
        safety, today = builder.users["safety"], builder.today
        days = datetime.timedelta
        with builder.clock(builder.term_moment(0, 9, 30)):
            a = services.keep(Vehicle, by=safety, data={
                "plate": "皖A·D5821", "description": "宇通 ZK6575DX 校车", "seats": 19,
                "operator": "青山区顺安校车服务公司",
                "inspection_expires": today + days(163), "insurance_expires": today + days(13), "active": True})
            b = services.keep(Vehicle, by=safety, data={
                "plate": "皖A·F3306", "description": "金龙 XMQ6601 校车", "seats": 24,
                "operator": "青山区顺安校车服务公司",
                "inspection_expires": today + days(240), "insurance_expires": today + days(201), "active": True})
            zhou = services.keep(Driver, by=safety, data={
                "name": "周德明", "phone": "139 5511 2046", "licence_number": "340104197805******",
                "licence_class": "A1",
                "licence_expires": today + days(900), "school_agreement_until": today + days(220),
                "parent_agreement_until": today + days(220), "active": True})
            qian = services.keep(Driver, by=safety, data={
                "name": "钱立平", "phone": "138 0551 7731", "licence_number": "340111198203******",
                "licence_class": "B1",
                "licence_expires": today + days(1400), "school_agreement_until": today + days(220),
                "parent_agreement_until": today + days(220), "active": True})
            services.keep(Route, by=safety, data={
                "name": "东线（学府路—青山花园）", "vehicle": a, "driver": zhou, "escort": builder.users["teacher"],
                "stops": "学府路口\n青山花园北门\n长江西路公交站\n学校东门", "morning_departs": datetime.time(7, 5),
                "afternoon_departs": datetime.time(16, 40), "classes": "一(1)班、二(1)班、三(1)班", "pupils": 17,
                "active": True})
            services.keep(Route, by=safety, data={
                "name": "西线（柳湾村—学校）", "vehicle": b, "driver": qian, "escort": builder.users["teacher2"],
                "stops": "柳湾村委会\n柳湾小区南门\n青山区卫生院\n学校西门", "morning_departs": datetime.time(6, 55),
                "afternoon_departs": datetime.time(16, 45), "classes": "四(1)班、五(1)班、六(1)班", "pupils": 21,
                "active": True})
        first = 1 if builder.days_ago(0, 7).date() == today else 0
        for n in range(CHECK_DAYS + first - 1, first - 1, -1):
            moment = builder.days_ago(n, 6, 35)
            if not is_school_day(moment.date(), builder.term_defs):
                continue
            for vehicle, driver in ((a, zhou), (b, qian)):
                items = {key: True for key, _label in ITEMS}
                fit, note = True, ""
                if n - first == NOT_FIT[0] and vehicle == b:
                    items[NOT_FIT[2]], fit, note = False, False, NOT_FIT[3]
                with builder.clock(moment + datetime.timedelta(minutes=7 if vehicle == b else 0)):
                    services.trip_check_record(by=safety, vehicle_id=vehicle.pk, driver_id=driver.pk, items=items,
                                               fit=fit, note=note)
        return None

    def summary(self):
        checks = TripCheck.objects.all()
        return [f"School vehicles: {Vehicle.objects.count()} vehicles, {Driver.objects.count()} drivers, "
                f"{Route.objects.count()} routes; {checks.count()} pre-trip checks "
                f"({checks.filter(fit=False).count()} not fit)"]


AREA = VehiclesDemo()
