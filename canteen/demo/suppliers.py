"""The canteen's suppliers and the check of their deliveries in the demo: five suppliers in use (one licence
expiring within the warning days), a former one whose licence has expired, and the deliveries of the last
four weeks of school days (two or three a day, one rejected), each recorded through the services at the
moment it arrived."""
import datetime
import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Q
from django.utils import timezone

from ..models import Delivery, Supplier
from ..services import suppliers as services

DAYS = 20  # school days of deliveries, about four weeks

# name, goods, licence kind, number, days until the licence expires, address, contact, phone
SUPPLIERS = [
    ("青山区绿源蔬菜配送有限公司", "蔬菜", "food_trade", "JY13401050012345", 300, "青山区农贸大道66号", "刘德兵",
     "13905510123"),
    ("皖农肉类食品有限公司", "肉类（猪肉、禽肉、牛肉）", "food_trade", "JY13401030056789", 180,
     "青山区食品工业园8栋", "钱卫东", "13855102468"),
    ("金穗粮油商贸有限公司", "米面粮油", "food_trade", "JY13401110034567", 18, "青山区粮库路12号", "孙金穗",
     "0551-6532 1188"),
    ("豆香坊豆制品厂", "豆制品", "food_production", "SC12534010500218", 400, "青山区豆腐巷3号", "黄师傅",
     "13637770315"),
    ("味佳调味品经营部", "调味品", "food_trade", "JY13401040098765", 250, "青山区百货市场B区21号", "周佳",
     "15955108866"),
]
FORMER = ("惠民冷冻食品批发部", "冻品", "food_trade", "JY13401020011223", -40, "青山区冷库路5号", "马惠民",
          "13705519900")

VEGETABLES = [("青菜", "散装"), ("土豆", "散装"), ("西红柿", "散装"), ("黄瓜", "散装"), ("胡萝卜", "散装"),
              ("大白菜", "散装"), ("芹菜", "散装"), ("冬瓜", "散装"), ("茄子", "散装")]
MEAT = [("猪肉（前腿）", "冷鲜", "3天"), ("鸡腿", "冷鲜", "3天"), ("牛肉", "冷鲜", "3天"), ("五花肉", "冷鲜", "3天")]
GRAIN = [("大米", "25kg/袋", "袋", "12个月"), ("面粉", "10kg/袋", "袋", "12个月"), ("菜籽油", "5L/桶", "桶", "18个月")]
TOFU = [("豆腐", "散装", "1天"), ("豆干", "500g/袋", "7天"), ("千张", "散装", "2天")]
SEASONING = [("食用盐", "400g/袋", "袋", "36个月"), ("酱油", "1.9L/瓶", "瓶", "24个月"),
             ("米醋", "500ml/瓶", "瓶", "24个月"), ("白砂糖", "1kg/袋", "袋", "24个月")]


def _pdf(title):
    """A one-page PDF standing in for a scanned certificate."""
    text = title.encode("ascii", "replace")
    stream = b"BT /F1 18 Tf 72 720 Td (" + text + b") Tj ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(f"{number} 0 obj\n".encode() + body + b"\nendobj\n")
    xref = out.tell()
    out.write(f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode())
    for offset in offsets:
        out.write(f"{offset:010d} 00000 n \n".encode())
    out.write(f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode())
    return SimpleUploadedFile("certificate.pdf", out.getvalue(), content_type="application/pdf")


class Suppliers:
    """seed(builder) and summary() of the suppliers area (see logistics.demo)."""

    def seed(self, builder):
        if Supplier.objects.filter(name=SUPPLIERS[0][0]).exists():
            return None
        self.builder, self.rng, self.today = builder, builder.rng, builder.today
        self.user = builder.users["canteen"]
        self.former(builder)
        days = sorted({timezone.localdate(builder.days_ago(n, 7)) for n in range(DAYS)})
        # On the list from the term's start, or a week before the first delivery if the term has just begun.
        start = min(builder.term_moment(0, 9), builder.at(days[0] - datetime.timedelta(days=7), 9))
        with builder.clock(start):
            suppliers = [self.add(row) for row in SUPPLIERS]
        veg, meat, grain, tofu, seasoning = suppliers
        with builder.clock(start + datetime.timedelta(minutes=20)):
            services.supplier_document_add(supplier_id=meat.pk, by=self.user, title="动物防疫条件合格证",
                                           file=_pdf("Animal epidemic prevention certificate"))
            services.supplier_document_add(supplier_id=tofu.pk, by=self.user, title="食品检验报告",
                                           file=_pdf("Food inspection report"),
                                           expires=self.today + datetime.timedelta(days=120))

        rejected_day = days[-6] if len(days) >= 6 else days[0]
        for day in days:
            weekday = day.weekday()
            self.deliver(day, 6, 40, veg, self.vegetables(day))
            if weekday in (0, 1, 3, 4):
                if day == rejected_day:
                    self.deliver(day, 7, 5, meat, [self.item("冻猪肉", "冻品", self.rng.randint(15, 25), "kg",
                                                             production_date=day - datetime.timedelta(days=20),
                                                             shelf_life="6个月", is_meat=True)],
                                 accepted=False, reject_reason="冻肉解冻后再冻，无检疫证明")
                else:
                    self.deliver(day, 7, 10, meat, self.meat(day))
            if weekday == 0:
                self.deliver(day, 9, 30, grain, self.grain(day))
            if weekday in (2, 4):
                self.deliver(day, 6, 55, tofu, self.tofu(day))
            if weekday == 2 and day.isocalendar().week % 2 == 0:
                self.deliver(day, 10, 15, seasoning, self.seasoning(day))
        return None

    def add(self, row):
        name, goods, kind, number, days, address, contact, phone = row
        return services.supplier_add(by=self.user, name=name, goods=goods, licence_kind=kind, licence_number=number,
                                     licence_expires=self.today + datetime.timedelta(days=days), address=address,
                                     contact=contact, phone=phone)

    def former(self, builder):
        """A supplier of the term before, whose licence ran out: no longer supplying the canteen."""
        expired = self.today + datetime.timedelta(days=FORMER[4])
        with builder.clock(builder.term_moment(0.05, 9, previous=True)) as moment:
            # A school year's first weeks: the licence ran out after the supplier was added, all the same.
            if timezone.localdate(moment) > expired:
                expired = timezone.localdate(moment)
            supplier = services.supplier_add(
                by=self.user, name=FORMER[0], goods=FORMER[1], licence_kind=FORMER[2], licence_number=FORMER[3],
                licence_expires=expired, address=FORMER[5], contact=FORMER[6], phone=FORMER[7])
        with builder.clock(builder.at(expired + datetime.timedelta(days=3), 16)):
            services.supplier_deactivate(supplier_id=supplier.pk, by=self.user, reason="许可证过期未续办，已停止供货")

    def item(self, name, spec, quantity, unit, *, production_date=None, batch="", shelf_life="", is_meat=False,
             cert=""):
        return {"name": name, "spec": spec, "quantity": Decimal(quantity), "unit": unit,
                "production_date": production_date, "batch": batch, "shelf_life": shelf_life, "is_meat": is_meat,
                "quarantine_cert": cert}

    def vegetables(self, day):
        return [self.item(name, spec, self.rng.randint(8, 30), "kg", production_date=day, shelf_life="2天")
                for name, spec in self.rng.sample(VEGETABLES, 3)]

    def meat(self, day):
        return [self.item(name, spec, self.rng.randint(10, 30), "kg", production_date=day - datetime.timedelta(days=1),
                          shelf_life=life, is_meat=True, cert=f"34{self.rng.randint(10 ** 7, 10 ** 8 - 1)}")
                for name, spec, life in self.rng.sample(MEAT, 2)]

    def grain(self, day):
        return [self.item(name, spec, self.rng.randint(2, 6), unit,
                          production_date=day - datetime.timedelta(days=self.rng.randint(10, 60)), shelf_life=life)
                for name, spec, unit, life in self.rng.sample(GRAIN, 2)]

    def tofu(self, day):
        return [self.item(name, spec, self.rng.randint(5, 12), "kg", production_date=day, shelf_life=life)
                for name, spec, life in self.rng.sample(TOFU, 2)]

    def seasoning(self, day):
        return [self.item(name, spec, self.rng.randint(6, 20), unit, batch=f"{day:%Y%m}{self.rng.randint(10, 99)}",
                          shelf_life=life)
                for name, spec, unit, life in self.rng.sample(SEASONING, 3)]

    def deliver(self, day, hour, minute, supplier, items, *, accepted=True, reject_reason=""):
        moment = self.builder.at(day, hour, minute)
        if moment > self.builder.now:
            return None
        with self.builder.clock(moment):
            return services.delivery_record(by=self.user, supplier=supplier, date=day, items=items,
                                            invoice_ref=f"NO.{day:%m%d}{supplier.pk:02d}", accepted=accepted,
                                            reject_reason=reject_reason)

    def summary(self):
        suppliers = Supplier.objects.aggregate(n=Count("pk"), active=Count("pk", filter=Q(active=True)))
        deliveries = Delivery.objects.aggregate(
            n=Count("pk"), rejected=Count("pk", filter=Q(status=Delivery.Status.REJECTED)))
        return [f"Canteen suppliers: {suppliers['n']} ({suppliers['active']} in use); deliveries checked: "
                f"{deliveries['n']} ({deliveries['rejected']} rejected)"]


AREA = Suppliers()
