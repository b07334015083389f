"""``xuedai bench --loans N [--json]``: the portfolio batches on PostgreSQL, timed (xuedai.batch.bench).

It lives in the loans app because the batches it times are the loans batches: the kernels of
``xuedai.batch`` with the loans app's own phases (scalar leftovers, grade overrides, layouts)."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.db import connection


class Command(BaseCommand):
    help = "基准测试：结息、扣款文件、五级分类的整批耗时 / benchmark the portfolio batches"

    def add_arguments(self, parser):
        parser.add_argument("--loans", type=int, default=1_000_000, help="合同笔数 / contracts")
        parser.add_argument("--json", action="store_true", help="一行 JSON / one line of JSON")
        parser.add_argument("--chunk", type=int, default=250_000, help="每批合同号范围 / ids per chunk")
        parser.add_argument("--sample", type=int, default=2000, help="标量核对样本 / scalar sample")
        parser.add_argument("--keep-run", action="store_true", help="保留运行后的数据库副本")
        parser.add_argument("--in-place", action="store_true",
                            help="不复制数据库，直接消耗基准组合 / run on the portfolio itself (no copy)")
        parser.add_argument("--repriced", type=float, default=None,
                            help="只测结息：无利率调整与该比例合同调整利率各一次 / the settlement "
                                 "with none and this share of contracts repriced, one run (e.g. 0.3)")
        parser.add_argument("--workers", type=int, default=None,
                            help="全国组合（31 省）的结息：1 个与 K 个 Celery 工作进程各一次及其比值 / the "
                                 "settlement of a national portfolio on 1 and on K workers, and the ratio")
        parser.add_argument("--dense", action="store_true",
                            help="五级分类为每户写记录 / a grade record for every account (else sparse)")

    def handle(self, *args, loans, json: bool, chunk, sample, keep_run, dense, in_place, repriced=None,
               workers=None, **options):
        from xuedai.batch import bench, bench_repricing, bench_workers
        from xuedai.loans.batches import grade_overrides, settle_leftovers
        from xuedai.loans.fastpath import kernel_layouts

        if connection.vendor != "postgresql":
            raise CommandError("bench 需要 PostgreSQL（scripts/with-postgres.sh）/ bench needs PostgreSQL")
        out = self.stderr.write if json else self.stdout.write  # progress never mixes with the JSON
        if workers is not None:
            if workers < 1:
                raise CommandError("--workers 应不少于 1")
            report = bench_workers.run(loans, workers=workers, chunk=chunk, settle_leftovers=settle_leftovers,
                                       out=out)
            self.stdout.write(_dumps(report) if json else bench_workers.table(report))
            return
        if repriced is not None:
            if not 0 < repriced <= 1:
                raise CommandError("--repriced 应在 0 到 1 之间（如 0.3）")
            report = bench_repricing.run(loans, share=repriced, chunk=chunk,
                                         settle_leftovers=settle_leftovers, sample=sample, out=out)
            self.stdout.write(_dumps(report) if json else bench_repricing.table(report))
            return
        report = bench.run(loans, chunk=chunk, layouts=kernel_layouts(), settle_leftovers=settle_leftovers,
                           overrides=grade_overrides, sample=sample, keep_run=keep_run, dense=dense,
                           in_place=in_place, out=out)
        self.stdout.write(_dumps(report) if json else bench.table(report))


def _dumps(report) -> str:
    return json.dumps(report, ensure_ascii=False)
