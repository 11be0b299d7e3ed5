from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static
from django.urls import include, path
from django.views.generic.base import RedirectView

from ambassade.blogs import views as blogs
from ambassade.campaigns import views as campaigns
from ambassade.dashboard import health, team
from ambassade.dashboard import views as dashboard
from ambassade.giveaways import views as giveaways
from ambassade.imports import views as imports
from ambassade.logistics import views as logistics
from ambassade.outreach import views as outreach
from ambassade.portal import views as portal
from ambassade.reports import views as reports
from ambassade.targeting import views as targeting
from ambassade.watch import views as watch

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("connexion/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("equipe/", team.team, name="team"),
    path("clients/", team.clients, name="clients"),
    path("invitation/<str:uidb64>/<str:token>/", team.invitation, name="invitation"),
    path("operations/", campaigns.operation_list, name="operation_list"),
    path("operations/nouvelle/", campaigns.operation_create, name="operation_create"),
    path("operations/<int:pk>/", campaigns.operation_detail, name="operation_detail"),
    path("operations/<int:pk>/ajouter/", campaigns.placement_add, name="placement_add"),
    path("operations/<int:pk>/article/", watch.article_add, name="article_add"),
    path("articles/demande/<str:token>/", watch.article_status, name="article_status"),
    path("operations/<int:pk>/ciblage/", targeting.targeting, name="targeting"),
    path("operations/<int:pk>/concours/nouveau/", giveaways.giveaway_create, name="giveaway_create"),
    path("concours/<int:pk>/", giveaways.giveaway_detail, name="giveaway_detail"),
    path("concours/<int:pk>/lire/", giveaways.giveaway_collect, name="giveaway_collect"),
    path("concours/<int:pk>/csv/", giveaways.giveaway_upload, name="giveaway_upload"),
    path("concours/<int:pk>/participations/<int:entry_pk>/", giveaways.entry_decide, name="entry_decide"),
    path("concours/<int:pk>/tirage/", giveaways.giveaway_draw, name="giveaway_draw"),
    path("concours/<int:pk>/gagnants/<int:winner_pk>/colis/", giveaways.winner_ship, name="winner_ship"),
    path("c/<str:public_id>/", giveaways.giveaway_rules, name="giveaway_rules"),
    path("c/<str:public_id>/certificat/", giveaways.giveaway_certificate, name="giveaway_certificate"),
    path("c/<str:public_id>/certificat.json", giveaways.giveaway_certificate_json, name="giveaway_certificate_json"),
    path("concours-confirmer/<str:token>/", giveaways.giveaway_confirm, name="giveaway_confirm"),
    path("concours-gagnant/<str:token>/", giveaways.giveaway_address, name="giveaway_address"),
    path("concours-colis/<str:token>/", giveaways.giveaway_receipt, name="giveaway_receipt"),
    path("operations/<int:pk>/mails/", outreach.operation_mail, name="operation_mail"),
    path("operations/<int:pk>/compte-rendu/", reports.operation_report_view, name="operation_report"),
    path("clients/<int:pk>/compte-rendu/", reports.client_report_view, name="client_report"),
    path("clients/<int:pk>/liens/", reports.client_links, name="client_links"),
    path("r/<str:token>/", reports.shared_client_report, name="shared_client_report"),
    path("r/<str:token>/operations/<int:pk>/", reports.shared_operation_report, name="shared_operation_report"),
    path("operations/<int:pk>/mails/modele/<str:kind>/", outreach.template_edit, name="template_edit"),
    path("relances/", outreach.followups_today, name="followups"),
    path("reglages/mail/", outreach.mail_settings_edit, name="mail_settings"),
    path("a-repondre/", outreach.to_answer, name="to_answer"),
    path("placements/<int:pk>/conversation/", outreach.conversation, name="conversation"),
    path("mails/<int:pk>/retirer/", outreach.message_cancel, name="message_cancel"),
    path("placements/<int:pk>/colis/", logistics.placement_parcels, name="placement_parcels"),
    path("colis/<str:token>/", logistics.parcel_receipt, name="parcel_receipt"),
    path("placements/<int:pk>/reponse/", outreach.answer, name="answer"),
    path("opposition/<str:token>/", outreach.opt_out, name="opt_out"),
    path("b/<str:token>/", portal.page, name="portal"),
    path("b/<str:token>/proposition/<int:pk>/", portal.proposal, name="portal_proposal"),
    path("b/<str:token>/colis/<int:pk>/", portal.parcel, name="portal_parcel"),
    path("b/<str:token>/article/<int:pk>/", portal.article, name="portal_article"),
    path("b/<str:token>/article/suivi/<str:request_token>/", portal.article_status, name="portal_article_status"),
    path("b/<str:token>/preferences/", portal.preferences, name="portal_preferences"),
    path("b/<str:token>/garder/", portal.keep, name="portal_keep"),
    path("b/<str:token>/donnees/<str:purpose>/", portal.sensitive, name="portal_sensitive"),
    path("operations/<int:pk>/ciblage/ajouter/", targeting.shortlist_add, name="shortlist_add"),
    path("articles/<int:pk>/verifier/", watch.coverage_review, name="coverage_review"),
    path("placements/<int:pk>/", campaigns.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/deplacer/", campaigns.placement_move, name="placement_move"),
    path("blogs/", blogs.blog_list, name="blog_list"),
    path("blogs/<int:pk>/", blogs.blog_detail, name="blog_detail"),
    path("blogueurs/", blogs.blogger_list, name="blogger_list"),
    path("blogueurs/<int:pk>/", blogs.blogger_detail, name="blogger_detail"),
    path("blogueurs/<int:pk>/export/", blogs.blogger_export, name="blogger_export"),
    path("blogueurs/<int:pk>/effacer/", blogs.blogger_erase, name="blogger_erase"),
    path("blogueurs/<int:pk>/lien/", portal.send_link, name="blogger_send_link"),
    path("produits/", logistics.product_list, name="product_list"),
    path("produits/<int:pk>/", logistics.product_detail, name="product_detail"),
    path("produits/<int:pk>/photo/", logistics.product_photo, name="product_photo"),
    path("operations/<int:pk>/produit/", logistics.operation_supply, name="operation_supply"),
    path("imports/", imports.import_start, name="import_start"),
    path("imports/<int:pk>/", imports.import_detail, name="import_detail"),
    path("imports/<int:pk>/progression/", imports.import_progress, name="import_progress"),
    path("i18n/", include("django.conf.urls.i18n")),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", RedirectView.as_view(url=static("favicon.svg"), permanent=True)),
    path("admin/", admin.site.urls),
]
