from django.urls import path

from chumchon.welfare import views
from chumchon.welfare.views import reports as views_reports

app_name = "welfare"
urlpatterns = [
    path("", views.fund_list, name="fund_list"),
    path("matching/", views.matching_overview, name="matching_overview"),
    path("me/", views.my_record, name="my_record"),
    path("me/receipts/<str:code>/<str:number>/", views.my_receipt, name="my_receipt"),
    path("<str:code>/", views.fund_detail, name="fund_detail"),
    path("<str:code>/status/", views.fund_status, name="fund_status"),
    path("<str:code>/settings/", views.fund_settings, name="fund_settings"),
    path("<str:code>/members/new/", views.member_enrol, name="member_enrol"),
    path("<str:code>/members/<str:number>/", views.member_detail, name="member_detail"),
    path("<str:code>/members/<str:number>/contribute/", views.contribution_create, name="contribution_create"),
    path("<str:code>/members/<str:number>/end/", views.membership_end, name="membership_end"),
    path("<str:code>/members/<str:number>/refund/", views.refund_pay, name="refund_pay"),
    path("<str:code>/members/<str:number>/refund.pdf", views.refund_voucher, name="refund_voucher"),
    path("<str:code>/receipts/<str:number>/", views.receipt, name="receipt"),
    path("<str:code>/receipts/<str:number>/cancel/", views.receipt_void, name="receipt_void"),
    path("<str:code>/collect/", views.collection_sheet, name="collection_sheet"),
    path("<str:code>/arrears/", views.lapse_run, name="lapse_run"),
    path("<str:code>/collect/total/", views.collection_sheet_total, name="collection_sheet_total"),
    path("<str:code>/grants/new/", views.grant_create, name="grant_create"),
    path("<str:code>/claims/", views.claim_list, name="claim_list"),
    path("<str:code>/claims/new/", views.claim_create, name="claim_create"),
    path("<str:code>/claims/<int:pk>/", views.claim_detail, name="claim_detail"),
    path("<str:code>/claims/<int:pk>/decide/", views.claim_decide, name="claim_decide"),
    path("<str:code>/claims/<int:pk>/pay/", views.claim_pay, name="claim_pay"),
    path("<str:code>/claims/<int:pk>/voucher.pdf", views.voucher, name="voucher"),
    path("<str:code>/claims/<int:pk>/cancel/", views.claim_void, name="claim_void"),
    path("<str:code>/rules/", views.rules, name="rules"),
    path("<str:code>/pension/", views.pension_batch, name="pension_batch"),
    path("<str:code>/pension/approve/", views.pension_batch_approve, name="pension_batch_approve"),
    path("<str:code>/reports/", views_reports.report_index, name="report_index"),
    path("<str:code>/reports/<str:kind>/", views_reports.report, name="report"),
]
