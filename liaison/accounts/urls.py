from django.urls import path

from liaison.accounts import views

app_name = "accounts"
urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("login/otp/", views.otp_view, name="otp"),
    path("login/otp/setup/", views.otp_setup_view, name="otp_setup"),
    path("logout/", views.logout_view, name="logout"),
    path("password/", views.password_change_view, name="password_change"),
    path("memberships/", views.memberships, name="memberships"),
    path("memberships/grant/", views.membership_grant, name="membership_grant"),
    path("memberships/<int:pk>/revoke/", views.membership_revoke, name="membership_revoke"),
    path("users/create/", views.user_create, name="user_create"),
    path("security/", views.security_page, name="security"),
    path("security/unlock/", views.security_unlock, name="security_unlock"),
    path("security/enrolment-code/", views.security_issue_code, name="security_issue_code"),
    path("security/users/<int:pk>/reset-otp/", views.security_reset_otp, name="security_reset_otp"),
]
